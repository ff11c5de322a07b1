/**
 * The gateway's two login limits, met by the whole suite: the one-OTP-a-minute rate limit (400,
 * errorCode 1019) makes the helper wait and ask again, never fail; a locked account (403, errorCode
 * 1020) stops every later login of the run with one clear line.
 */
import { expect, test } from '../fixtures';
import { askOtp, lockAccount, loggedRequests, tally } from './support';

const COOLDOWN_MS = '1000';
const LOGIN = '/api/v2/auth/login';

test.describe('staging readiness: login limits', () => {
  test('the OTP rate limit (1019) is waited out: another process just asked for the only address, nothing fails', async ({
    runningEmulator,
    runSuite,
  }) => {
    test.setTimeout(240_000);
    // Far longer than the runner takes to start on a busy machine, so the preflight's login lands inside the other process's cooldown.
    const cooldown = '20000';
    const emulator = await runningEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: cooldown, EMULATOR_LOG: '1' } });
    // "Another process" (a previous night, a colleague) asked for an OTP a moment ago: the preflight meets 1019.
    await askOtp(emulator.url, 'solo@example.com');
    const run = await runSuite({
      env: { TRANSAK_BASE_URL: emulator.url, TRANSAK_EMAILS: 'solo@example.com', TRANSAK_OTP_COOLDOWN_MS: cooldown },
      args: ['--workers=1', '--grep', '@R1'],
    });
    await emulator.stop();
    expect(run.failed.map((t) => `${t.title}: ${t.message}`)).toEqual([]);
    expect(run.globalErrors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const logins = loggedRequests(emulator.output()).filter((r) => r.path === LOGIN);
    const refused = logins.filter((r) => r.status === 400).length;
    test.info().annotations.push({
      type: 'rate limit',
      description: `${logins.length} Send User OTP calls, ${refused} answered 1019 and asked again; ${Math.round(run.durationMs / 1000)} s`,
    });
    expect(refused, 'the run really met the rate limit').toBeGreaterThan(0);
    expect(
      logins.filter((r) => r.status !== 200 && r.status !== 400),
      'no other refusal',
    ).toEqual([]);
  });

  test('a locked account (403, 1020) met mid-run stops every later login: one clear line, the rest skipped, no second try', async ({
    runningEmulator,
    runSuite,
  }) => {
    test.setTimeout(120_000);
    const emulator = await runningEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS, EMULATOR_LOG: '1' } });
    // The preflight logs in with one address; the other is locked, as if by another process.
    await lockAccount(emulator.url, 'locked@example.com');
    const run = await runSuite({
      env: { TRANSAK_BASE_URL: emulator.url, TRANSAK_EMAILS: 'locked@example.com,fine@example.com', TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS },
      args: ['--workers=2'],
    });
    await emulator.stop();
    const lockLine =
      'AccountLockedError: locked@example.com is locked by the gateway (too many wrong OTPs): stopping without further attempts; unlock it or remove it from TRANSAK_EMAILS';
    expect(run.exitCode, 'the run ends red').not.toBe(0);
    expect(run.failed.length, run.output.slice(-2000)).toBeGreaterThan(0);
    // Workers that asked at the same moment may each meet the lock once; every failure is that one line.
    expect(new Set(run.failed.map((t) => t.message))).toEqual(new Set([lockLine]));
    const stopped = run.tests.filter((t) => t.status === 'skipped');
    expect(stopped.length, `later tests are skipped, not failed (${JSON.stringify(tally(run))})`).toBeGreaterThan(0);

    // The emulator's own log: the lock was met once per failed test (no worker asked twice), and
    // once the stop was written no login started: the only ones after the last lock refusal are
    // those another worker had already sent (in flight, within a few ms), at most one per worker.
    const logins = loggedRequests(emulator.output()).filter((r) => r.path === LOGIN);
    const locked = logins.filter((r) => r.status === 403);
    // The first 403 is lockAccount's own check; the rest are the suite's.
    expect(locked.length - 1, 'one lock refusal per failed test').toBe(run.failed.length);
    const lastLock = locked[locked.length - 1].at;
    const afterLastLock = logins.filter((r) => r.at >= lastLock && r !== locked[locked.length - 1]);
    expect(afterLastLock.length, 'at most one in-flight login per other worker').toBeLessThanOrEqual(3);
    expect(
      afterLastLock.filter((r) => r.at - lastLock > 500).map((r) => `${r.method} ${r.path} → ${r.status} at +${r.at - lastLock} ms`),
      'no login started after the stop',
    ).toEqual([]);
    test.info().annotations.push({
      type: 'lock',
      description: `${run.failed.length} failed (the lock line), ${stopped.length} skipped, ${JSON.stringify(tally(run))}`,
    });
  });
});
