/**
 * The run's successful logouts, from every worker: when each ran and which worker sent it. Each
 * worker logs in addresses of its own (email-pool.ts), so another worker's logout is another user's.
 *
 * A token can die while its test has done nothing to it yet: on a gateway whose logout ends other
 * users' tokens too (rule 6's bug), any logout of a parallel worker may end it. Its test then has
 * nothing to judge, and blaming its own rule would turn a second rule red for one bug. So a test
 * whose token was refused before any act of its own, while another worker's logout ran, records
 * rule 6's finding and stops as "cannot judge" (verdict-steps.ts); rule 6's own test judges the bug.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { isSuccess, type Exchange } from './exchange';
import type { ExchangeLog } from './exchange-log';
import { LOGOUT_PATH } from './operations';
import { runFiles } from './run-files';

export interface LogoutRegister {
  /** Notes an exchange of worker `worker`, answered at `at`: kept if it is a successful logout. */
  record(worker: number, ex: Exchange, at: number): void;
  /** The successful logouts that ran, in part, between `from` and `to` (ms since the epoch), and the worker of each. */
  between(from: number, to: number): Array<{ from: number; to: number; by: number }>;
}

/** How long a refused token waits for the logout that may have ended it to be written down. */
const LATE_RECORD_MS = 1000;

const isLogout = (ex: Exchange): boolean => ex.method === 'POST' && ex.path === LOGOUT_PATH && isSuccess(ex);

export function openLogoutRegister(outputDir: string): LogoutRegister {
  const files = runFiles(join(outputDir, '.transak-logouts'));
  return {
    record(worker, ex, at) {
      // The name holds the facts, so a reader lists the folder and opens no file.
      if (isLogout(ex)) files.put(`${Math.floor(at - ex.ms)}_${Math.ceil(at)}_${worker}_${randomUUID()}`, '');
    },
    between(from, to) {
      return files
        .names()
        .map((name) => name.split('_').map(Number))
        .filter(([start, end]) => start <= to && end >= from)
        .map(([start, end, by]) => ({ from: start, to: end, by }));
    },
  };
}

/**
 * Why `token` was refused in `dead` with nothing of its test to blame, or undefined. It is excused
 * only when the test's last exchange with the token before `dead` left it working (Verify User OTP
 * issued it, or Get User Details accepted it), and another worker's logout ran between then and
 * `dead`. Any other act of the test on the token since (a GET on the logout path, a logout) is the
 * likelier cause, and excuses nothing; unless `pastOwnActs`, when the window opens at the last
 * sign of life however the test used the token since, for a test that then judges again.
 *
 * With no logout at all in this run's window, and `outsideRun` (the caller has ruled out the
 * gateway's own ends: a later login of its address, its expiry), a token that Get User Details
 * accepted, and that the test did nothing with since, was ended from outside the run: on a gateway
 * whose logout ends every token, by the other shard's logouts, which no register here can see. That
 * is rule 6's finding too, named for what was seen (`outsideRun` in the answer); a token only
 * issued is no evidence of it.
 */
export async function endedByOthersLogout(
  register: LogoutRegister,
  log: Pick<ExchangeLog, 'exchanges' | 'answeredAt'>,
  worker: number,
  token: string,
  dead: Exchange,
  pastOwnActs = false,
  outsideRun = false,
): Promise<{ cause: string; outsideRun: boolean } | undefined> {
  const before = log.exchanges.slice(0, Math.max(0, log.exchanges.indexOf(dead)));
  const last = before.filter((ex) => issued(ex, token) || (carries(ex, token) && (!pastOwnActs || accepted(ex)))).at(-1);
  if (last === undefined || (!issued(last, token) && !accepted(last))) return undefined;
  // From when the sign of life was asked: the gateway answered it at some moment after that, and a
  // busy test process may read its answer later than another worker's logout was answered.
  const answered = log.answeredAt(last);
  const deadAt = log.answeredAt(dead);
  if (answered === undefined || deadAt === undefined) return undefined;
  const aliveAt = answered - last.ms;
  // The logout that ended the token may be answered, and written here by its worker, after the refusal.
  let all = register.between(aliveAt, deadAt);
  const others = () => all.filter(({ by }) => by !== worker);
  for (const until = Date.now() + LATE_RECORD_MS; others().length === 0 && Date.now() < until;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    all = register.between(aliveAt, deadAt);
  }
  const logouts = others();
  if (logouts.length === 0) {
    // This worker's own logouts may end it lawfully (a gateway that ends every session of a user).
    if (!outsideRun || pastOwnActs || !accepted(last) || all.length > 0) return undefined;
    return {
      cause: `the token worked ${Math.round(deadAt - aliveAt)} ms before this refusal, and neither this test nor any logout of this run ended it since: a logout from outside the run ended it (a gateway whose logout ends every token, met by a parallel shard's logouts: rule 6), or the gateway ended it by itself`,
      outsideRun: true,
    };
  }
  const cause = `the token worked ${Math.round(deadAt - aliveAt)} ms before this refusal, and in between ${logouts.length} logout(s) of other users' tokens by other workers answered 2xx: a logout that ends other users' tokens (rule 6)`;
  return { cause, outsideRun: false };
}

/** Rule 6's finding, as the test that met such an end records it. */
export const othersLogoutViolation = (cause: string): string => `token_ended_by_another_users_logout: ${cause}`;

const accepted = (ex: Exchange): boolean => ex.operationId === 'get-user-details' && ex.status === 200;
/**
 * Whether the exchange sent `token` (bare or with a prefix) in its authorization header, or a
 * credential forged from it (rule 3's: its claims, another signature) that the server accepted: that
 * acted on the token's session, so it is the test's own act on the token too. A refused forgery did not.
 */
export function carries(ex: Exchange, token: string): boolean {
  const sent = ex.requestHeaders.authorization ?? '';
  const claims = token.split('.')[1];
  return sent.includes(token) || (claims !== undefined && claims.length >= 16 && sent.includes(claims) && isSuccess(ex));
}
const issued = (ex: Exchange, token: string): boolean =>
  (ex.json as { data?: { accessToken?: unknown } } | undefined)?.data?.accessToken === token && !carries(ex, token);
