/**
 * A wrong configuration stops the run once, before any test, with one line that names the variable
 * and the fix: the preflight fails, nothing else runs.
 */
import { expect, test } from '@playwright/test';
import { runSuite } from '../support/suite-run';

const CASES: Array<[string, Record<string, string>, string]> = [
  ['an invalid user IP', { TRANSAK_USER_IP: 'home' }, `TRANSAK_USER_IP="home" is not an IP address: set the end user's IP, like TRANSAK_USER_IP=203.0.113.7`],
  ['production without the opt-in', { TRANSAK_BASE_URL: 'https://api-gateway.transak.com', TRANSAK_API_KEY: 'k', TRANSAK_EMAILS: 'a@b.co', TRANSAK_OTP: '1234' }, 'TRANSAK_BASE_URL points at production (api-gateway.transak.com)'],
  ['a remote target without an API key', { TRANSAK_BASE_URL: 'https://api-gateway-stg.transak.com' }, 'TRANSAK_API_KEY is unset: a remote target needs the partner API key'],
];

test.describe('bad configuration', () => {
  test.describe.configure({ timeout: 60_000 });
  for (const [what, env, line] of CASES) {
    test(`${what}: one preflight failure with one clear line, nothing else runs`, async () => {
      const run = await runSuite({ env });
      expect(run.exitCode).not.toBe(0);
      expect(run.failed.map((t) => t.title)).toEqual([expect.stringMatching(/^preflight:/)]);
      expect(run.failed[0].message).toContain(line);
      expect(run.tests.filter((t) => t.status === 'passed')).toEqual([]);
      // No request left the machine: production and staging hosts are never contacted by a self-test.
      expect(run.output).not.toMatch(/ENOTFOUND|EAI_AGAIN/);
    });
  }
});
