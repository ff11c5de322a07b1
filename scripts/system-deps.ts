/**
 * The programs the self-tests drive besides Node (a browser for the report check, an IMAP server for
 * the mailbox OTP check): the one place for their paths, their Debian packages, the line that says
 * how to get one, and the plan scripts/system-deps-install.ts follows at the start of `npm test`.
 */
import { accessSync, constants, statSync } from 'node:fs';

export interface SystemDep {
  /** What the self-tests do with it, for messages. */
  usedFor: string;
  debianPackage: string;
  path(env?: NodeJS.ProcessEnv): string;
  /** A variable naming another executable to use instead (no install then), and what it must name. */
  override?: { variable: string; names: string };
}

export const CHROMIUM: SystemDep = {
  usedFor: 'the report check opens the Allure report in it',
  debianPackage: 'chromium',
  // GitHub's Ubuntu runners: `chromium` there is a snap stub, and Google Chrome is preinstalled.
  override: { variable: 'CHROMIUM_PATH', names: 'a Chrome or Chromium executable' },
  path: (env = process.env) => env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium',
};

export const DOVECOT: SystemDep = {
  usedFor: 'the IMAP OTP check reads its mail from it',
  debianPackage: 'dovecot-imapd',
  path: () => '/usr/sbin/dovecot',
};

const SYSTEM_DEPS = [CHROMIUM, DOVECOT];

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function overridden(dep: SystemDep, env: NodeJS.ProcessEnv): boolean {
  return dep.override !== undefined && (env[dep.override.variable]?.trim() ?? '') !== '';
}

export function orOverride(deps: readonly SystemDep[]): string {
  return deps.flatMap((d) => (d.override ? [`, or set ${d.override.variable} to ${d.override.names}`] : [])).join('');
}

/** The one line a self-test prints when `dep` is not there: what is missing and how to get it. */
export function missingLine(dep: SystemDep, env: NodeJS.ProcessEnv = process.env): string {
  const path = dep.path(env);
  if (overridden(dep, env)) {
    const { variable, names } = dep.override!;
    return `${variable}=${path} is not an executable file: point it at ${names}, or unset it to use Debian's ${dep.debianPackage}`;
  }
  return `${path} is missing (${dep.usedFor}): run npm test as root or with sudo (it installs Debian's ${dep.debianPackage}), or apt-get install -y ${dep.debianPackage}${orOverride([dep])}`;
}

/** What this machine offers for an install; probed by the installer, made up by the unit tests. */
export interface Machine {
  env: NodeJS.ProcessEnv;
  isExecutable(path: string): boolean;
  isRoot: boolean;
  hasAptGet: boolean;
  /** `sudo -n true` succeeds: sudo without a password prompt. */
  sudoWorks: boolean;
}

export type InstallPlan =
  | { action: 'none' }
  /** `runAs` prefixes every privileged command: [] as root, ['sudo', '-n'] otherwise. */
  | { action: 'install'; deps: SystemDep[]; packages: string[]; runAs: string[] }
  | { action: 'stop'; line: string };

export function installPlan(machine: Machine): InstallPlan {
  const missing = SYSTEM_DEPS.filter((dep) => !machine.isExecutable(dep.path(machine.env)));
  if (missing.length === 0) return { action: 'none' };
  const stop = (line: string) => ({ action: 'stop', line }) as const;
  // A variable that names a missing program is a mistake to fix, not something to install around.
  const badOverride = missing.find((dep) => overridden(dep, machine.env));
  if (badOverride) return stop(missingLine(badOverride, machine.env));
  const packages = missing.map((dep) => dep.debianPackage);
  const what = `npm test needs ${missing.map((dep) => `${dep.path(machine.env)} (Debian's ${dep.debianPackage})`).join(' and ')}`;
  if (!machine.hasAptGet)
    return stop(
      `${what}, and this machine has no apt-get: install ${packages.join(' and ')} with its package manager${orOverride(missing)}`,
    );
  if (machine.isRoot) return { action: 'install', deps: missing, packages, runAs: [] };
  if (machine.sudoWorks) return { action: 'install', deps: missing, packages, runAs: ['sudo', '-n'] };
  return stop(`${what}: run sudo apt-get install -y ${packages.join(' ')} once, or run npm test as root${orOverride(missing)}`);
}
