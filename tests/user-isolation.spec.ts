import { describeRule, test, type TokenSupply, type VerdictSteps } from '../helpers/fixtures';

/**
 * A process that owns one address borrows another process's token, which a gateway with one
 * session per user ends whenever its owner logs that address in again, before or after the
 * logout: then once more, with a new pair.
 */
async function expectAnotherUserUnaffected(tokens: TokenSupply, verdict: VerdictSteps, judgeAgain = true): Promise<void> {
  const again = () => (judgeAgain ? expectAnotherUserUnaffected(tokens, verdict, false) : undefined);
  const first = await tokens.mint();

  const second = await test.step('a live token of another user', () => tokens.otherUser(first.email));

  if (!(await verdict.borrowedTokenWorks(second, tokens.endedBy, judgeAgain))) return again();
  await verdict.logsOut(first.token, "log out the first user's token");
  if (!(await verdict.otherUserUnaffected(second, tokens.endedBy, judgeAgain))) return again();
  await verdict.logsOutUnlessEnded(second, tokens.endedBy, "the second user's token can still log out");
}

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
