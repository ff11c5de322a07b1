/**
 * TRANSAK_REQUIRE_REMOTE=1 (the release gate's): an empty or loopback TRANSAK_BASE_URL stops the run at
 * the preflight and starts no emulator, so no workflow expression that evaluates to '' can turn a gate
 * into a green run against the emulator's defaults.
 */
import { expect, expectStoppedAtPreflight, test } from '../fixtures';
import { spawnSync } from 'node:child_process';
import { loadConfig } from '../../helpers/config';
import { ROOT, TSX } from '../../helpers/repo-paths';
import { configErrorOf, STAGING_ENV } from '../support/staging-env';

const EMPTY = 'ConfigError: TRANSAK_REQUIRE_REMOTE=1 and TRANSAK_BASE_URL is empty: nothing but a remote gateway may be judged here';

/** Whether playwright.config.ts, loaded afresh with only each of `envs` (as a run's runner loads it), starts the embedded emulator. */
function startsEmulator(envs: Array<Record<string, string>>): boolean[] {
  const evaluate = `
    const config = require.resolve('./playwright.config.ts');
    const seen = [];
    for (const env of JSON.parse(process.argv[process.argv.length - 1])) {
      for (const key of Object.keys(process.env)) delete process.env[key];
      Object.assign(process.env, env);
      delete require.cache[config];
      const loaded = require(config);
      seen.push(Boolean((loaded.default ?? loaded).webServer));
    }
    console.log(JSON.stringify(seen));`;
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TRANSAK_ENV_FILE: '/nonexistent/.env' };
  const run = spawnSync(process.execPath, [TSX, '-e', evaluate, JSON.stringify(envs.map((env) => ({ ...base, ...env })))], {
    cwd: ROOT,
    env: base,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as boolean[];
}

test('with TRANSAK_REQUIRE_REMOTE=1 and no base URL the run stops with one line: no emulator, no test', async ({ runSuite }) => {
  expectStoppedAtPreflight(await runSuite({ env: { TRANSAK_REQUIRE_REMOTE: '1', TRANSAK_BASE_URL: '' } }), EMPTY);
});

test('playwright.config.ts starts the emulator for an empty base URL, and never when a remote target is required', () => {
  const [unset, empty, required, requiredBlank] = startsEmulator([
    {},
    { TRANSAK_BASE_URL: '' },
    { TRANSAK_REQUIRE_REMOTE: '1' },
    { TRANSAK_REQUIRE_REMOTE: '1', TRANSAK_BASE_URL: '  ' },
  ]);
  expect(unset, 'the check sees an emulator when there is one').toBe(true);
  expect(empty, 'an input that evaluated to the empty string').toBe(true);
  expect(required).toBe(false);
  expect(requiredBlank).toBe(false);
});

test('the configuration refuses an empty, blank or loopback target when a remote one is required, and the emulator’s defaults with it', () => {
  const emulatorAnnounced = { TRANSAK_EMULATOR_URL: 'http://127.0.0.1:4010' };
  expect(loadConfig(emulatorAnnounced).target, 'without the variable the emulator’s defaults apply').toBe('embedded-emulator');
  expect(configErrorOf({ ...emulatorAnnounced, TRANSAK_REQUIRE_REMOTE: '1' })).toContain(EMPTY.replace('ConfigError: ', ''));
  expect(configErrorOf({ TRANSAK_REQUIRE_REMOTE: '1', TRANSAK_BASE_URL: '   ' })).toContain('TRANSAK_BASE_URL is empty');
  expect(configErrorOf({ TRANSAK_REQUIRE_REMOTE: '1', TRANSAK_BASE_URL: 'http://localhost:4010' })).toBe(
    'TRANSAK_REQUIRE_REMOTE=1 and TRANSAK_BASE_URL is "http://localhost:4010", this machine: nothing but a remote gateway may be judged here; pass the gateway, like TRANSAK_BASE_URL=https://api-gateway-stg.transak.com',
  );
  expect(configErrorOf({ TRANSAK_REQUIRE_REMOTE: 'yes' })).toBe(
    'TRANSAK_REQUIRE_REMOTE="yes" is not recognised: set it to 1 to refuse any target but a remote gateway, or remove it',
  );
  const remote = { ...STAGING_ENV, TRANSAK_REQUIRE_REMOTE: '1' };
  expect(loadConfig(remote).target).toBe('remote');
  expect(configErrorOf({ ...remote, TRANSAK_API_KEY: '' }), 'a remote target gets none of the emulator’s defaults').toContain(
    'TRANSAK_API_KEY is unset',
  );
});
