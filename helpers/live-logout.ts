/**
 * Rules 1, 2 and 8 log out a new token that their control saw working. When the nightly's shards
 * run at once against a gateway whose logout ends every token (rule 6's bug), the other shard's
 * logouts can end that token between the control and the logout, which no register here sees:
 * the logout is then refused with nothing of the test to blame. Once, the test judges again with a
 * new token; refused so a second time, the refusal is rule 1's violation.
 */
import { test } from '@playwright/test';
import type { UserToken } from './auth-flow';
import type { Exchange } from './exchange';
import type { LogoutBodyShape } from './operations';
import type { TokenSupply } from './token-supply';
import type { VerdictSteps } from './verdict-steps';

export async function logOutLiveToken(
  tokens: TokenSupply,
  verdict: VerdictSteps,
  { shape, title }: { shape?: LogoutBodyShape; title?: string } = {},
  judgeAgain = true,
): Promise<{ token: UserToken; ex: Exchange; loggedOutAt: number }> {
  const token = await test.step('live user token', () => tokens.mint());
  await verdict.tokenWorks(token.token);
  const ex = await verdict.logsOutSeenLive(token, tokens.endedBy, judgeAgain, shape, title);
  if (ex === undefined) return logOutLiveToken(tokens, verdict, { shape, title }, false);
  return { token, ex, loggedOutAt: Date.now() };
}
