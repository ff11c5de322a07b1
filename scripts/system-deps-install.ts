/**
 * Part of `npm test`'s first step: installs the programs the self-tests drive (scripts/system-deps.ts)
 * when the machine allows it, or stops at once with the line saying what to install, so that no
 * self-test is ever skipped for want of one. A policy-rc.d answering 101 keeps the packages from
 * starting services (dovecot-imapd would start a system dovecot on every interface; the self-tests
 * start their own on loopback); an existing policy-rc.d is the administrator's and stays as it is.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installPlan, isExecutable, missingLine, orOverride } from './system-deps';

const POLICY_RC_D = '/usr/sbin/policy-rc.d';
const LOG = join(tmpdir(), 'npm-test-system-deps.log');

function succeeds(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

function run(runAs: string[], argv: string[]): boolean {
  const [command, ...args] = [...runAs, ...argv];
  appendFileSync(LOG, `\n$ ${[command, ...args].join(' ')}\n`);
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000 });
  appendFileSync(LOG, `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `${result.error.message}\n` : ''}`);
  return result.status === 0;
}

function stop(line: string): never {
  console.error(line);
  process.exit(1);
}

function main(): void {
  const isRoot = process.getuid?.() === 0;
  const hasAptGet = succeeds('apt-get', ['--version']);
  const plan = installPlan({ env: process.env, isExecutable, isRoot, hasAptGet, sudoWorks: !isRoot && succeeds('sudo', ['-n', 'true']) });
  if (plan.action === 'none') return;
  if (plan.action === 'stop') stop(plan.line);

  const { deps, packages, runAs } = plan;
  writeFileSync(LOG, '');
  console.log(`npm test: installing Debian's ${packages.join(' and ')} for the self-tests${runAs.length ? ' (sudo)' : ''}; log: ${LOG}`);
  const guard = !existsSync(POLICY_RC_D);
  if (guard && !run(runAs, ['sh', '-c', `printf '#!/bin/sh\\nexit 101\\n' > ${POLICY_RC_D} && chmod 755 ${POLICY_RC_D}`]))
    stop(
      `npm test could not write ${POLICY_RC_D} to keep the packages' services from starting (see ${LOG}): install ${packages.join(' ')} by hand`,
    );
  let installed: boolean;
  try {
    const apt = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
    installed =
      run(runAs, [...apt, 'update', '-qq']) && run(runAs, [...apt, 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
  } finally {
    if (guard) run(runAs, ['rm', '-f', POLICY_RC_D]);
  }
  if (!installed)
    stop(`npm test could not install ${packages.join(' ')} (apt-get failed, see ${LOG}): install them by hand${orOverride(deps)}`);
  // The package may install something else than the program the self-tests start (a snap stub).
  const stillMissing = deps.find((dep) => !isExecutable(dep.path()));
  if (stillMissing) stop(missingLine(stillMissing));
}

main();
