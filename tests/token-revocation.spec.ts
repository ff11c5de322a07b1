import { describeRule, LOGOUT_BODY_SHAPES, TOKEN_OPERATIONS, labelOf, logOutLiveToken, test } from '../helpers/fixtures';

/**
 * Rule 2 asks for "again at least 3 s later". The latest look comes as late as the run's budget
 * allows at no cost to its wall time (TRANSAK_R2_LATE_LOOK_MS: seconds on the emulator, up to the
 * OTP cooldown on staging, where a night waits for OTPs anyway), so a revocation that wears off
 * after 20 or 60 s is caught too. These tests start first (playwright.config.ts), so the wait
 * overlaps the rest of the run.
 *
 * Each test logs out in one of the shapes real clients send (no body, `{}`, `{ apiKey }`): each
 * must be judged like the bare logout, and the token is then looked at by every token operation.
 */
const FIRST_LATER_LOOK_MS = 3000;

describeRule('R2', () => {
  for (const shape of LOGOUT_BODY_SHAPES) {
    test(`a token logged out with ${shape.name} is rejected by every token operation, at once and later`, async ({
      tokens,
      verdict,
      suiteConfig,
    }, testInfo) => {
      testInfo.setTimeout(testInfo.timeout + suiteConfig.r2LateLookMs);
      const { token: liveToken, loggedOutAt } = await logOutLiveToken(tokens, verdict, { shape });

      // A rejection after the token's natural end proves nothing: every look comes before it.
      const looks = await verdict.laterLooks(liveToken, loggedOutAt, [FIRST_LATER_LOOK_MS, suiteConfig.r2LateLookMs]);

      for (const operation of TOKEN_OPERATIONS) {
        await verdict.rejectedBy(operation, liveToken.token, `${labelOf(operation)} rejects it on the first call after logout`);
      }
      for (const ms of looks) {
        await test.step(`wait until ${ms / 1000} s after the logout`, () =>
          new Promise((resolve) => setTimeout(resolve, Math.max(0, loggedOutAt + ms - Date.now()))));

        for (const operation of TOKEN_OPERATIONS) {
          await verdict.rejectedBy(operation, liveToken.token, `${labelOf(operation)} still rejects it ${ms / 1000} s later`);
        }
      }
      testInfo.annotations.push({
        type: 'latest look',
        description: `${((Date.now() - loggedOutAt) / 1000).toFixed(1)} s after the logout (TRANSAK_R2_LATE_LOOK_MS=${suiteConfig.r2LateLookMs})`,
      });
    });
  }
});
