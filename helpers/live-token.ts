/**
 * A test's token, seen working by its control before the test acts on it. When the nightly's shards
 * run at once against a gateway whose logout ends every token (rule 6's bug), the other shard's
 * logouts can end the token before the control or between the control and a logout, which no
 * register here sees: the test then has nothing of its own to blame. Once at the control, and once
 * at the logout, it judges again with a new token; refused so a second time, the refusal is the
 * test's violation (at the logout, rule 1's). An end by the gateway's own policy (a later login of
 * its address, its expiry) is never judged again.
 */
import { test } from '@playwright/test';
import type { UserToken } from './auth-flow';
import type { Exchange } from './exchange';
import type { LogoutBodyShape } from './operations';
import type { TokenSupply } from './token-supply';
import type { VerdictSteps } from './verdict-steps';

/** A token minted (the test may destroy it) or borrowed (it is handed on), that the control saw working. */
export async function controlledToken(
  tokens: TokenSupply,
  verdict: VerdictSteps,
  take: 'mint' | 'borrow',
  { title, judgeAgain = true }: { title?: string; judgeAgain?: boolean } = {},
): Promise<UserToken> {
  const token = await test.step(take === 'mint' ? 'live user token' : 'borrowed live user token', () => tokens[take]());
  if (await verdict.tokenWorks(token.token, title, judgeAgain ? { token, endedBy: tokens.endedBy } : undefined)) return token;
  return controlledToken(tokens, verdict, take, { title, judgeAgain: false });
}

/** Rules 1, 2 and 8: a new token, its control, then its logout. */
export async function logOutLiveToken(
  tokens: TokenSupply,
  verdict: VerdictSteps,
  { shape, title }: { shape?: LogoutBodyShape; title?: string } = {},
  judgeAgain = true,
): Promise<{ token: UserToken; ex: Exchange; loggedOutAt: number }> {
  const token = await controlledToken(tokens, verdict, 'mint', { judgeAgain });
  const ex = await verdict.logsOutSeenLive(token, tokens.endedBy, judgeAgain, shape, title);
  if (ex === undefined) return logOutLiveToken(tokens, verdict, { shape, title }, false);
  return { token, ex, loggedOutAt: Date.now() };
}
