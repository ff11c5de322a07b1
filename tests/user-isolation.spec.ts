import { describeRule, test } from '../helpers/fixtures';
import { expectAnotherUserUnaffected } from '../helpers/other-user-check';

describeRule('R6', () => {
  test("logging out one user's token leaves another user's token working", async ({ tokens, verdict }) => {
    await expectAnotherUserUnaffected(tokens, verdict);
  });

  test("the same user's other session after logout is observed, and held to TRANSAK_SAME_USER_SESSIONS when set", async ({
    mintToken,
    tokens,
    suiteConfig,
    verdict,
  }) => {
    // The second login of one address waits out its OTP cooldown; the wait grows the test's budget.
    const first = await mintToken();
    const second = await mintToken({ sameEmailAs: first.email });

    await verdict.sameUserSessions(first, second, suiteConfig.sameUserSessions, tokens.endedBy);
  });
});
