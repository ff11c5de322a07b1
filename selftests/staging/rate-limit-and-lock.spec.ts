/**
 * The gateway's two login limits, met by the whole suite: the OTP rate limit (1019) is waited out,
 * never a failure; a locked account (1020) stops every later login of the run with one clear line.
 */
import { expect, test } from '../fixtures';
import { LOGIN_PATH, served } from '../support/emulator-client';
import { lockAccount, readOtpStats, tally } from './support';

/** The locked run's workers: each may have one login in flight when another meets the lock. */
const WORKERS = 2;
const COOLDOWN_MS = '1000';

test.describe('staging readiness: login limits', () => {
  test('the OTP rate limit (1019) is waited out: another process just asked for the only address, nothing fails', async ({
    newClient,
    runSuite,
  }, testInfo) => {
    const statsFile = testInfo.outputPath('otp-stats.json');
    // The emulator in this process, so that "another process" (a previous night, a colleague) asks
    // for the only address the moment the suite's first login (the preflight's) reaches it, just
    // before that login is served: the preflight meets 1019 however long the runner took to start.
    const emulator = newClient({ otpCooldownMs: Number(COOLDOWN_MS), statsFile });
    let otherAsked = false;
    let otherAnswer: number | undefined;
    emulator.app.addHook('preHandler', async (request) => {
      if (request.routeOptions.url !== LOGIN_PATH || otherAsked) return;
      otherAsked = true;
      otherAnswer = (await emulator.login('solo@example.com')).statusCode;
    });
    const url = await served(emulator);
    const run = await runSuite({
      env: { TRANSAK_BASE_URL: url, TRANSAK_EMAILS: 'solo@example.com', TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS },
      args: ['--workers=1', '--grep', '@R1'],
    });
    expect(otherAnswer, "the other process's OTP request was served").toBe(200);
    expect(run.failed.map((t) => `${t.title}: ${t.message}`)).toEqual([]);
    expect(run.globalErrors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.tests.map((t) => t.status)).toEqual(['passed']);
    const { calls, errorCodes } = readOtpStats(statsFile)['send-user-otp']['solo@example.com'];
    const refused = errorCodes['1019'] ?? 0;
    test.info().annotations.push({
      type: 'rate limit',
      description: `${calls} Send User OTP calls (the other process's included), ${refused} answered 1019 and asked again; ${Math.round(run.durationMs / 1000)} s`,
    });
    expect(refused, 'the run really met the rate limit').toBeGreaterThan(0);
    expect(Object.keys(errorCodes), 'no other refusal').toEqual(['1019']);
  });

  test('a locked account (403, 1020) met mid-run stops every later login: one clear line, the rest skipped, no second try', async ({
    newClient,
    runSuite,
  }) => {
    const emulator = newClient({ otpCooldownMs: Number(COOLDOWN_MS) });
    // The emulator's own account of every Send User OTP call: its answer, and when it arrived.
    const logins: Array<{ status: number; at: number }> = [];
    emulator.app.addHook('onResponse', async (request, reply) => {
      if (request.routeOptions.url === LOGIN_PATH) logins.push({ status: reply.statusCode, at: Date.now() - reply.elapsedTime });
    });
    const url = await served(emulator);
    // The preflight logs in with one address; the other is locked, as if by another process.
    await lockAccount(emulator, 'locked@example.com');
    const run = await runSuite({
      env: { TRANSAK_BASE_URL: url, TRANSAK_EMAILS: 'locked@example.com,fine@example.com', TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS },
      // Rules 8 and 2 only: each of their four tests needs a login of its own, so whichever comes after the lock meets the stop.
      args: [`--workers=${WORKERS}`, '--grep', '@R8|@R2'],
    });
    const lockLine =
      'AccountLockedError: locked@example.com is locked by the gateway (too many wrong OTPs): stopping without further attempts; unlock it or remove it from TRANSAK_EMAILS';
    expect(run.exitCode, 'the run ends red').not.toBe(0);
    expect(run.failed.length, run.output.slice(-2000)).toBeGreaterThan(0);
    // Workers that asked at the same moment may each meet the lock once; every failure is that one line.
    expect(new Set(run.failed.map((t) => t.message))).toEqual(new Set([lockLine]));
    const stopped = run.tests.filter((t) => t.status === 'skipped');
    expect(stopped.length, `later tests are skipped, not failed (${JSON.stringify(tally(run))})`).toBeGreaterThan(0);

    // The emulator's own account: the lock was met once per failed test, and after the last lock
    // refusal came only logins another worker had in flight. Counted, not timed: a busy machine may
    // deliver an in-flight request late.
    logins.sort((a, b) => a.at - b.at);
    const locked = logins.filter((r) => r.status === 403);
    // The first 403 is lockAccount's own check; the rest are the suite's.
    expect(locked.length - 1, 'one lock refusal per failed test').toBe(run.failed.length);
    const lastLock = locked[locked.length - 1];
    const afterLastLock = logins.filter((r) => r.at >= lastLock.at && r !== lastLock);
    expect(afterLastLock.length, 'no login after the stop but one in flight per other worker').toBeLessThanOrEqual(WORKERS - 1);
    test.info().annotations.push({
      type: 'lock',
      description: `${run.failed.length} failed (the lock line), ${stopped.length} skipped, ${JSON.stringify(tally(run))}`,
    });
  });
});
