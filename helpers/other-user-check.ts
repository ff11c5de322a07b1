/**
 * Rule 6's other-user check, in one place for its spec and the self-test that races it
 * (selftests/staging/other-user-token.spec.ts). A process that owns one address borrows another
 * process's token, which a gateway with one session per user ends whenever its owner logs that
 * address in again, before or after the logout: then once more, with a new pair.
 */
import { test } from '@playwright/test';
import type { TokenSupply } from './token-supply';
import type { VerdictSteps } from './verdict-steps';

export async function expectAnotherUserUnaffected(tokens: TokenSupply, verdict: VerdictSteps, judgeAgain = true): Promise<void> {
  const again = () => (judgeAgain ? expectAnotherUserUnaffected(tokens, verdict, false) : undefined);
  const first = await tokens.mint();

  const second = await test.step('a live token of another user', () => tokens.otherUser(first.email));

  if (!(await verdict.borrowedTokenWorks(second, tokens.endedBy, judgeAgain))) return again();
  await verdict.logsOut(first.token, "log out the first user's token");
  if (!(await verdict.otherUserUnaffected(second, tokens.endedBy, judgeAgain))) return again();
  await verdict.logsOutUnlessEnded(second, tokens.endedBy, "the second user's token can still log out");
}
