import {
  describeRule,
  LOGOUT_BODY_SHAPES,
  TOKEN_OPERATIONS,
  labelOf,
  logOutLiveToken,
  test,
  type LogoutBodyShape,
} from '../helpers/fixtures';

/**
 * Rule 2 asks for "again at least 3 s later". The latest look comes as late as the run's budget
 * allows at no cost to its wall time (TRANSAK_R2_LATE_LOOK_MS: seconds on the emulator, up to the
 * OTP cooldown on staging, where a night waits for OTPs anyway), so a revocation that wears off
 * after 20 or 60 s is caught too. This test starts first (playwright.config.ts), so its wait
 * overlaps the rest of the run.
 *
 * A token is logged out in each of the shapes real clients send (no body, `{}`, `{ apiKey }`): each
 * must be judged like the bare logout, and each token is then looked at by every operation. One test
 * for the three, so that their waits overlap in one worker: three tests would each hold a worker
 * for the whole wait, and on two cores the workers' own start is what the suite's time is made of.
 */
const FIRST_LATER_LOOK_MS = 3000;

describeRule('R2', () => {
  test('a token logged out in each shape clients send (no body, {}, { apiKey }) is rejected by every token operation, at once and later', async ({
    tokens,
    verdict,
    suiteConfig,
  }, testInfo) => {
    testInfo.setTimeout(testInfo.timeout + suiteConfig.r2LateLookMs);
    const loggedOut: Array<{ shape: LogoutBodyShape; token: string; ms: number; at: number }> = [];
    let lastLogoutAt = 0;
    for (const shape of LOGOUT_BODY_SHAPES) {
      const { token, loggedOutAt } = await logOutLiveToken(tokens, verdict, { shape });

      // A rejection after the token's natural end proves nothing: every look comes before it.
      const looks = await verdict.laterLooks(token, loggedOutAt, [FIRST_LATER_LOOK_MS, suiteConfig.r2LateLookMs]);

      for (const operation of TOKEN_OPERATIONS) {
        await verdict.rejectedBy(
          operation,
          token.token,
          `${labelOf(operation)} rejects it on the first call after logout (logged out with ${shape.name})`,
        );
      }
      loggedOut.push(...looks.map((ms) => ({ shape, token: token.token, ms, at: loggedOutAt + ms })));
      lastLogoutAt = loggedOutAt;
    }

    // Each token's looks at its own times after its logout, in the order they fall due.
    for (const { shape, token, ms, at } of loggedOut.sort((a, b) => a.at - b.at)) {
      await test.step(`wait until ${ms / 1000} s after the logout with ${shape.name}`, () =>
        new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now()))));

      for (const operation of TOKEN_OPERATIONS) {
        await verdict.rejectedBy(
          operation,
          token,
          `${labelOf(operation)} still rejects it ${ms / 1000} s later (logged out with ${shape.name})`,
        );
      }
    }
    testInfo.annotations.push({
      type: 'latest look',
      description: `${((Date.now() - lastLogoutAt) / 1000).toFixed(1)} s after the last logout (TRANSAK_R2_LATE_LOOK_MS=${suiteConfig.r2LateLookMs})`,
    });
  });
});
