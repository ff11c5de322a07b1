// `npm test` on a fresh machine: its first step installs the programs the self-tests drive, or
// stops at once with one line saying what to install (scripts/system-deps*.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../fixtures';
import { ROOT, TSX } from '../../helpers/repo-paths';
import { STEPS } from '../../scripts/prepare-selftests';
import { CHROMIUM, DOVECOT, installPlan, missingLine, type Machine } from '../../scripts/system-deps';

const CHROME = '/opt/google/chrome/chrome';

function machine(overrides: Partial<Machine> & { present?: string[] }): Machine {
  const present = new Set(overrides.present ?? []);
  return { env: {}, isExecutable: (path) => present.has(path), isRoot: false, hasAptGet: true, sudoWorks: false, ...overrides };
}

test.describe('what npm test does about the programs the self-tests drive', () => {
  test('both there: nothing to do', () => {
    expect(installPlan(machine({ present: ['/usr/bin/chromium', '/usr/sbin/dovecot'] }))).toEqual({ action: 'none' });
  });

  test('root with apt-get installs what is missing; sudo without a password does it through sudo -n', () => {
    expect(installPlan(machine({ isRoot: true }))).toMatchObject({ action: 'install', packages: ['chromium', 'dovecot-imapd'], runAs: [] });
    expect(installPlan(machine({ sudoWorks: true, present: ['/usr/bin/chromium'] }))).toMatchObject({
      action: 'install',
      packages: ['dovecot-imapd'],
      runAs: ['sudo', '-n'],
    });
  });

  test('a machine that may not install: one line naming the packages and the fix', () => {
    expect(installPlan(machine({}))).toEqual({
      action: 'stop',
      line: "npm test needs /usr/bin/chromium (Debian's chromium) and /usr/sbin/dovecot (Debian's dovecot-imapd): run sudo apt-get install -y chromium dovecot-imapd once, or run npm test as root, or set CHROMIUM_PATH to a Chrome or Chromium executable",
    });
    expect(installPlan(machine({ isRoot: true, hasAptGet: false, present: ['/usr/bin/chromium'] }))).toEqual({
      action: 'stop',
      line: "npm test needs /usr/sbin/dovecot (Debian's dovecot-imapd), and this machine has no apt-get: install dovecot-imapd with its package manager",
    });
  });

  test('CHROMIUM_PATH names the browser instead (GitHub runners: Google Chrome); a wrong one is a mistake, never installed around', () => {
    const env = { CHROMIUM_PATH: CHROME };
    expect(CHROMIUM.path(env)).toBe(CHROME);
    expect(installPlan(machine({ env, present: [CHROME, '/usr/sbin/dovecot'] }))).toEqual({ action: 'none' });
    expect(installPlan(machine({ env, isRoot: true }))).toEqual({
      action: 'stop',
      line: `CHROMIUM_PATH=${CHROME} is not an executable file: point it at a Chrome or Chromium executable, or unset it to use Debian's chromium`,
    });
  });

  test('a self-test whose program is missing fails with the same kind of line, never skips', () => {
    expect(missingLine(DOVECOT, {})).toBe(
      "/usr/sbin/dovecot is missing (the IMAP OTP check reads its mail from it): run npm test as root or with sudo (it installs Debian's dovecot-imapd), or apt-get install -y dovecot-imapd",
    );
    const selftests = ['scripts/dovecot.ts', 'selftests/reports/report-readers.ts'].map((f) => readFileSync(join(ROOT, f), 'utf8'));
    for (const source of selftests) {
      expect(source).toMatch(/missingLine\((DOVECOT|CHROMIUM)\)/);
      expect(source).not.toMatch(/test\.skip|testInfo\.skip/);
    }
  });

  test('the installer stops at once, with its one line and exit 1, when it may not install', () => {
    // An apt-get first on PATH that only writes down how it was called: the stop must come before any install.
    const bin = mkdtempSync(join(tmpdir(), 'apt-spy-'));
    const calls = join(bin, 'calls');
    writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\necho "$*" >> ${calls}\n`, { mode: 0o755 });
    const run = spawnSync(process.execPath, [TSX, 'scripts/system-deps-install.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chrome', PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "CHROMIUM_PATH=/nonexistent/chrome is not an executable file: point it at a Chrome or Chromium executable, or unset it to use Debian's chromium\n",
    );
    const aptCalls = existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [];
    expect(
      aptCalls.filter((args) => args !== '--version'),
      'apt-get was never asked to update or install',
    ).toEqual([]);
  });

  test('npm test starts with the installer, and CI runs exactly the README command', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.test).toBe('tsx scripts/prepare-selftests.ts && playwright test -c selftests');
    expect(
      STEPS.map((step) => step.argv.slice(1).join(' ')),
      'before the self-tests: the install, the type check, the linters, the schema drift check',
    ).toEqual([`${TSX} scripts/system-deps-install.ts`, 'run --silent typecheck', 'run --silent lint', 'run --silent schemas:check']);
    expect(scripts.typecheck).toBe('tsc -p .');
    expect(scripts.lint).toMatch(/^eslint \. --max-warnings=0 && prettier --check \.$/);
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci.split('\n').filter((line) => /\bnpm\b/.test(line) && !line.startsWith('#'))).toEqual(['npm ci && npm test']);
    expect(ci, 'no install step of its own: npm test does it').not.toMatch(/apt-get/);
  });
});
