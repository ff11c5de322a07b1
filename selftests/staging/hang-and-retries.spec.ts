/**
 * A target that hangs: the request timeout (TRANSAK_REQUEST_TIMEOUT_MS) fails the one test that met
 * the hang with "no answer in N ms", and the run goes on. Judging runs never retry; the nightly
 * configuration retries once and reports the test as flaky, never as passed.
 * The hang is an emulator server option (`--hang=/path --hang-count=N`, emulator/network.ts), not
 * a fault mode: it is not a verdict rule's bug, so the kill matrix does not run it.
 */
import { stripVTControlCharacters } from 'node:util';
import { expect, test } from '../fixtures';
import { tally } from './support';

const COOLDOWN_MS = '1000';
// The preflight's two logouts (the live control of Logout, then the token Refresh handed out) are
// served; the first logout of a test hangs.
const HANG_ONE_LOGOUT = ['--hang=/api/v1/auth/logout', '--hang-count=1', '--hang-after=2'];

test.describe('staging readiness: a hanging target', () => {
  test.describe.configure({ timeout: 120_000 });

  test('one hung logout fails only the test that met it, with "no answer in 2000 ms", and every other test runs and passes', async ({
    runningEmulator,
    runSuite,
  }) => {
    const emulator = await runningEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS }, args: HANG_ONE_LOGOUT });
    const run = await runSuite({
      env: { TRANSAK_BASE_URL: emulator.url, TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS, TRANSAK_REQUEST_TIMEOUT_MS: '2000' },
    });
    expect(run.failed, run.output.slice(-2000)).toHaveLength(1);
    expect(run.failed[0].message).toMatch(
      /^TargetError: no answer in 2000 ms from POST 127\.0\.0\.1:\d+\/api\/v1\/auth\/logout: the target hangs; raise TRANSAK_REQUEST_TIMEOUT_MS only if it is known to be that slow$/,
    );
    expect(run.exitCode).not.toBe(0);
    expect(tally(run), 'the run went on: all the other tests ran and passed').toEqual({ failed: 1, passed: run.tests.length - 1 });
  });

  test('the judging configuration never retries; the nightly one retries once and reports flaky, and stays red', async ({
    runningEmulator,
    runSuite,
  }) => {
    const [judging, nightly] = await Promise.all(
      [0, 1].map(() => runningEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS }, args: HANG_ONE_LOGOUT })),
    );
    const env = { TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS, TRANSAK_REQUEST_TIMEOUT_MS: '2000' };
    const [base, night] = await Promise.all([
      runSuite({ env: { ...env, TRANSAK_BASE_URL: judging.url }, reporters: ['line'] }),
      runSuite({ env: { ...env, TRANSAK_BASE_URL: nightly.url }, args: ['-c', 'playwright.nightly.config.ts'], reporters: ['line'] }),
    ]);
    const plain = stripVTControlCharacters;
    expect(base.failed, 'judging: the hung test fails, no retry').toHaveLength(1);
    expect(plain(base.output)).not.toMatch(/\bflaky\b|retry #1/);

    // Nightly: the same hung test failed once, passed on its retry, and is counted flaky, not passed.
    expect(night.failed, night.output.slice(-2000)).toEqual([]);
    expect(plain(night.output)).toMatch(/^\s*1 flaky\s*$/m);
    expect(plain(night.output)).toMatch(new RegExp(`^\\s*${night.tests.length - 1} passed`, 'm'));
    expect(night.exitCode, 'failOnFlakyTests: a flaky run is still red').not.toBe(0);
  });
});
