/**
 * A target that hangs: the request timeout (TRANSAK_REQUEST_TIMEOUT_MS) fails the one test that met
 * the hang, and the run goes on; the nightly configuration retries it once and reports it flaky. The
 * hang is a server option (emulator/network.ts), not a rule's bug, so the kill matrix does not run it.
 */
import { stripVTControlCharacters } from 'node:util';
import { optionsFromEnv } from '../../emulator/options';
import { expect, test as base, type RunSuite } from '../fixtures';
import { tally } from './support';
import { served } from '../support/emulator-client';

const COOLDOWN_MS = '1000';
// The preflight's two logouts (the live control of Logout, then the token Refresh handed out) are
// served; the first logout of a test hangs.
const HANG_ONE_LOGOUT = ['--hang=/api/v1/auth/logout', '--hang-count=1', '--hang-after=2'];
// Rule 1 logs out first (its file comes first in the wave), so it meets the hang; rule 5's four
// tests come after it, in the worker Playwright starts anew after the failure: the run goes on.
const HUNG_AND_AFTER = ['--grep', '@R1|@R5', '--workers=1'];
/** The emulator server.ts would start with these variables and arguments, served from the test's process. */
const HANGING = optionsFromEnv({ EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS }, HANG_ONE_LOGOUT);
/** Only the hung request may reach it: a busy machine keeps an answered one waiting a second or two, never eight. */
const REQUEST_TIMEOUT_MS = 8000;
/** The suite against an emulator whose first logout of a test hangs, in the judging configuration or with `config`. */
const test = base.extend<{ hungRun: (...config: string[]) => ReturnType<RunSuite> }>({
  hungRun: async ({ newClient, runSuite }, use) =>
    use(async (...config) =>
      runSuite({
        env: {
          TRANSAK_BASE_URL: await served(newClient(HANGING)),
          TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS,
          TRANSAK_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        },
        args: [...config, ...HUNG_AND_AFTER],
        reporters: ['line'],
      }),
    ),
});

test.describe('staging readiness: a hanging target', () => {
  test('one hung logout fails only the test that met it, with "no answer in N ms", never retried by the judging configuration, and every other test runs and passes', async ({
    hungRun,
  }) => {
    const run = await hungRun();
    expect(run.failed, run.output.slice(-2000)).toHaveLength(1);
    expect(run.failed[0].message).toMatch(
      new RegExp(
        String.raw`^TargetError: no answer in ${REQUEST_TIMEOUT_MS} ms from POST 127\.0\.0\.1:\d+\/api\/v1\/auth\/logout: the target hangs; raise TRANSAK_REQUEST_TIMEOUT_MS only if it is known to be that slow$`,
      ),
    );
    expect(run.exitCode).not.toBe(0);
    expect(stripVTControlCharacters(run.output), 'judging: the hung test is not retried').not.toMatch(/\bflaky\b|retry #1/);
    expect(run.tests.length, 'tests ran after the hung one').toBeGreaterThan(2);
    expect(tally(run), 'the run went on: all the other tests ran and passed').toEqual({ failed: 1, passed: run.tests.length - 1 });
  });

  test('the nightly configuration retries the hung test once, reports it flaky, not passed, and stays red', async ({ hungRun }) => {
    const night = await hungRun('-c', 'playwright.nightly.config.ts');
    const plain = stripVTControlCharacters(night.output);
    // The same hung test failed once, passed on its retry, and is counted flaky, not passed.
    expect(night.failed, night.output.slice(-2000)).toEqual([]);
    expect(plain).toMatch(/^\s*1 flaky\s*$/m);
    expect(plain).toMatch(/retry #1/);
    expect(plain).toMatch(new RegExp(`^\\s*${night.tests.length - 1} passed`, 'm'));
    expect(night.exitCode, 'failOnFlakyTests: a flaky run is still red').not.toBe(0);
  });
});
