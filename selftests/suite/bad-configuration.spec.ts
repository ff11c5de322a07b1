/**
 * A wrong configuration stops the run once, before any test, with one line that names the variable
 * and the fix: the preflight (global setup) fails, no test runs.
 */
import { expect, expectStoppedAtPreflight, test } from '../fixtures';
import { STAGING_ENV } from '../support/staging-env';

const CASES: Array<[string, Record<string, string>, string[], string]> = [
  [
    'an invalid user IP',
    { TRANSAK_USER_IP: 'home' },
    [],
    `ConfigError: TRANSAK_USER_IP="home" is not an IP address: set the end user's IP, like TRANSAK_USER_IP=203.0.113.7`,
  ],
  [
    'production without the opt-in',
    { ...STAGING_ENV, TRANSAK_BASE_URL: 'https://API-GATEWAY.transak.com.:443/' },
    [],
    'ConfigError: TRANSAK_BASE_URL points at production (api-gateway.transak.com)',
  ],
  [
    'a remote target without an API key',
    { TRANSAK_BASE_URL: STAGING_ENV.TRANSAK_BASE_URL },
    [],
    'ConfigError: TRANSAK_API_KEY is unset: a remote target needs the partner API key',
  ],
  [
    'a remote target without the end user IP',
    { ...STAGING_ENV, TRANSAK_USER_IP: '' },
    [],
    "ConfigError: TRANSAK_USER_IP is unset: a remote target needs the end user's real IP for x-user-ip",
  ],
  [
    'fewer addresses than processes',
    { ...STAGING_ENV, TRANSAK_EMAILS: 'a@b.co,b@b.co,c@b.co' },
    ['--workers=4'],
    'ConfigError: TRANSAK_EMAILS lists 3 addresses for 4 processes (1 shard(s) × 4 workers), and no two processes may share one: add 1 addresses, or run with --workers=3',
  ],
];

test.describe('bad configuration', () => {
  for (const [what, env, args, line] of CASES) {
    test(`${what}: the preflight stops the run with one clear line, no test runs`, async ({ runSuite }) => {
      const run = await runSuite({ env, args });
      expectStoppedAtPreflight(run, line);
      // No request left the machine: production and staging hosts are never contacted by a self-test.
      expect(run.output).not.toMatch(/ENOTFOUND|EAI_AGAIN/);
    });
  }
});
