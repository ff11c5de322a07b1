// The fault-mode catalogue: deviations that let the suite prove each verdict rule catches the bug it
// names ('bug'), and spares behaviour the contract allows ('allowed'). Without modes the emulator is
// the reference server; modes switch on only from server.ts's command line (--faults=).
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import type { RuleId } from '../helpers/rules';
import { assertApiKey, assertPartner, checkToken, requireToken } from './auth';
import * as o from './fault-overrides';
import { KILL_MATRIX_RATE_LIMIT_EVERY, KILL_MATRIX_TOKEN_TTL_SECONDS, POLICY_PRESETS, type PolicyName } from './policies';
import { ERR_TOKEN } from './errors';
import { LOGOUT_MESSAGE, logOut } from './routes/logout';
import { refreshed } from './routes/refresh';
import { userDetails } from './routes/user';

/** Timings of the timing modes, for the self-tests that must outwait them. */
export const SLOW_LOGOUT_MS = 1700;
export const REVOCATION_DELAY_MS = 1500;
export const REVOCATION_WEARS_OFF_MS = 2000;

type ModeBase<N extends string> = { name: N; summary: string; overrides: readonly o.Override[] };
export interface BugMode<N extends string = string> extends ModeBase<N> {
  kind: 'bug';
  /** The verdict rule whose tests must catch this bug. */
  rule: RuleId;
  /** Other rules this mode breaks in their own right (a combined mode of two bugs); any other red rule is collateral. */
  alsoBreaks: readonly RuleId[];
  /** Violation names (helpers/verdicts.ts) the run must report besides the rule's own (a drift met on the way). */
  alsoReports?: readonly string[];
  /** What the failed rule test must report, so a drift met first cannot have hidden its verdict. */
  ownReports?: string;
}
export type AllowedMode<N extends string = string> = ModeBase<N> & { kind: 'allowed' };
export type ModeSpec = BugMode | AllowedMode;

/** A bug `rules[0]`'s tests must catch, breaking the others in their own right (rule 7's "rejected afterwards" sees revocation bugs). */
function bug<N extends string>(rules: RuleId | readonly RuleId[], name: N, summary: string, overrides: o.Override[]): BugMode<N> {
  const [rule, ...alsoBreaks] = typeof rules === 'string' ? [rules] : rules;
  return { name, kind: 'bug', rule, alsoBreaks, summary, overrides };
}

/** A bug behind a contract drift in a precondition: its rule test must report `own`, and the run `also` the drift. */
function reporting<N extends string>(also: readonly string[], mode: BugMode<N>, own = 'token_not_rejected'): BugMode<N> {
  return { ...mode, alsoReports: also, ownReports: own };
}

function allowed<N extends string>(name: N, summary: string, overrides: o.Override[]): AllowedMode<N> {
  return { name, kind: 'allowed', summary, overrides };
}

/** A policy a correct gateway may choose, at the kill matrix's scale (policies.ts): its own allowed mode. */
function policy<N extends PolicyName>(name: N, summary: string): AllowedMode<N> {
  return allowed(name, summary, [o.adopts(POLICY_PRESETS[name])]);
}

// Overrides that more than one mode applies.
const logoutMessageNotString = o.answerAs(o.isLoggedOut, { body: { data: { message: 123 } } });
const userDetailsWithoutKyc = o.rewrite(o.isUserDetails, (a) => delete a.body?.data?.kyc);
const queryApiKey = (request: FastifyRequest) => (request.query as { apiKey?: unknown }).apiKey;
const TEXT = 'text/plain; charset=utf-8';

export const MODES = Object.freeze([
  // R1: the answer to a successful logout
  bug('R1', 'logout-204-no-body', 'logout answers 204 with an empty body', [
    o.answerAs(o.isLoggedOut, { status: 204, contentType: undefined, text: '' }),
  ]),
  bug('R1', 'logout-201', 'logout answers 201 with the documented body', [o.answerAs(o.isLoggedOut, { status: 201 })]),
  bug('R1', 'logout-200-without-data', 'logout answers 200 {message} without the data wrapper', [
    o.answerAs(o.isLoggedOut, { body: { message: LOGOUT_MESSAGE } }),
  ]),
  bug('R1', 'logout-message-not-string', 'logout answers 200 {data:{message:123}}', [logoutMessageNotString]),
  bug(
    'R1',
    'logout-body-off-schema',
    'logout answers 200 {data:{loggedOut:true}} without the required message, and still revokes the token',
    [o.answerAs(o.isLoggedOut, { body: { data: { loggedOut: true } } })],
  ),
  bug('R1', 'logout-text-plain', 'logout answers the documented body as text/plain', [o.answerAs(o.isLoggedOut, { contentType: TEXT })]),

  // R2: the token must be dead afterwards, and rejected in the documented shape
  bug(['R2', 'R7'], 'logout-does-not-revoke', 'logout answers 200 but the token keeps working', [o.endsNoSession]),
  bug(['R2', 'R7'], 'user-details-ignores-revocation', 'Get User Details accepts a logged-out token', [
    o.whenRevoked(o.USER, (claims, request, ctx) => {
      assertApiKey(queryApiKey(request), ctx);
      return userDetails(claims);
    }),
  ]),
  bug('R2', 'refresh-ignores-revocation', 'Refresh issues a new token for a logged-out token', [
    o.whenRevoked(o.REFRESH, (claims, _request, ctx) => refreshed(claims, ctx)),
  ]),
  bug(
    'R2',
    'refresh-needs-query-revives-logged-out',
    'Refresh refuses every call without ?apiKey=, and given it issues a new token for a logged-out token',
    [
      o.adopts({ refreshNeedsApiKeyQuery: true }),
      o.whenRevoked(o.REFRESH, (claims, request, ctx) => {
        // Without the query this is the policy's refusal, which hides the bug from a client that never sends it.
        assertApiKey(queryApiKey(request), ctx);
        return refreshed(claims, ctx);
      }),
    ],
  ),
  // A probe that refuses every token judges nothing: rule 2 (and rule 3, which probes Refresh too) is red as "cannot judge".
  reporting(
    [],
    bug(['R2', 'R3'], 'refresh-refuses-every-token', 'Refresh answers 401 to every token, live ones included', [
      o.instead([o.REFRESH], () => Promise.reject(ERR_TOKEN())),
    ]),
    'cannot judge Refresh User Access Token: it refuses a live token (401',
  ),
  bug(['R2', 'R7'], 'logout-replay-accepted', 'a second logout of the same token answers 200 again', [
    o.whenRevoked(o.LOGOUT, (claims, _request, ctx) => logOut(claims, ctx)),
  ]),
  bug(['R2', 'R7'], 'revocation-delayed', `revocation takes effect only ${REVOCATION_DELAY_MS} ms after the logout`, [
    ({ ctx }) => {
      const since = new Map<string, number>();
      o.around(ctx.revocations, 'revoke', (revoke) => (jti, until) => {
        if (!since.has(jti)) since.set(jti, ctx.clock());
        revoke(jti, until);
      });
      o.around(
        ctx.revocations,
        'isRevoked',
        (isRevoked) => (jti) => isRevoked(jti) && ctx.clock() >= (since.get(jti) ?? 0) + REVOCATION_DELAY_MS,
      );
    },
  ]),
  bug('R2', 'revocation-wears-off', `a revoked token works again ${REVOCATION_WEARS_OFF_MS} ms after its logout`, [
    ({ ctx }) =>
      o.around(ctx.revocations, 'revoke', (revoke) => (jti, until) => revoke(jti, Math.min(until, ctx.clock() + REVOCATION_WEARS_OFF_MS))),
  ]),
  bug('R2', 'rejection-without-error-wrapper', 'every 401 body is {statusCode,message} without the error wrapper', [
    o.rewrite(o.is401, (a) => (a.body = { statusCode: a.body?.error?.statusCode, message: a.body?.error?.message })),
  ]),
  bug('R2', 'rejection-status-mismatch', 'every 401 body says statusCode 400', [
    o.rewrite(o.is401, (a) => {
      if (a.body?.error) a.body.error.statusCode = 400;
    }),
  ]),
  bug(['R2', 'R7'], 'rejection-as-200', 'a revoked token is answered with HTTP 200 and the error body', [
    o.rewrite(o.isTokenRejection, async (a, ctx) => {
      if ((await o.refusalOf(a.request, ctx)) === 'revoked') a.status = 200;
    }),
  ]),
  bug('R2', 'logout-400-without-name', 'logout rejects tokens with 400 and a body without name', [
    o.rewrite(
      (a) => o.isTokenRejection(a) && o.isAt(a.request, [o.LOGOUT]),
      (a) => {
        a.status = 400;
        a.body = { error: { statusCode: 400, message: a.body?.error?.message, errorCode: a.body?.error?.errorCode } };
      },
    ),
  ]),
  bug('R2', 'rejection-not-json', 'token rejections are answered with a text/plain "Unauthorized"', [
    o.answerAs(o.isTokenRejection, { contentType: TEXT, text: 'Unauthorized' }),
  ]),
  bug(
    'R2',
    'logout-apikey-body-revokes-nothing',
    'a logout with a JSON {apiKey} body (as MetaMask sends) answers 200 but the token keeps working',
    [o.logoutRevokesNothing(undefined, ({ body }) => typeof body === 'object' && body !== null && 'apiKey' in body)],
  ),
  // The drift is rule 1's bug in its own right: rule 1 turns red too, and rule 2 still judges revocation.
  reporting(
    ['logout_schema_violation'],
    bug(
      ['R2', 'R1', 'R7'],
      'logout-drift-and-no-revocation',
      "logout's 200 body breaks its schema ({data:{message:123}}) AND logout revokes nothing",
      [logoutMessageNotString, o.endsNoSession],
    ),
  ),
  reporting(
    ['schema_violation'],
    bug(
      ['R2', 'R7'],
      'user-details-drift-and-no-revocation',
      "Get User Details' 200 body breaks its schema (no kyc) AND logout revokes nothing",
      [userDetailsWithoutKyc, o.endsNoSession],
    ),
  ),

  // R3: no way around the token
  bug('R3', 'missing-header-accepted', 'logout without an authorization header answers 200', [o.logoutRevokesNothing('missing')]),
  bug('R3', 'empty-header-accepted', 'logout with an empty authorization header answers 200', [o.logoutRevokesNothing('empty')]),
  bug('R3', 'random-token-accepted', 'logout accepts any string that is not a JWT', [o.logoutRevokesNothing('malformed')]),
  bug('R3', 'signature-not-checked', 'claims are decoded without checking the signature, on every route', [
    ({ ctx }) => o.around(ctx.tokens, 'verify', () => async (token) => o.verifiedWithoutSignature(token, ctx)),
  ]),
  bug('R3', 'alg-none-accepted', 'an unsigned alg:none token with valid claims is accepted', [
    ({ ctx }) =>
      o.around(
        ctx.tokens,
        'verify',
        (verify) => async (token) => (o.algorithmOf(token) === 'none' ? o.verifiedWithoutSignature(token, ctx) : verify(token)),
      ),
  ]),
  bug('R3', 'bearer-accepted-without-revoking', 'a "Bearer <token>" logout answers 200 but the token keeps working', [
    o.bearerLogoutsRevokeNothing,
  ]),

  // R4: no 5xx, no token echoed
  // (a 5xx is rule 4's wherever it is met: rule 4's sweep sends every request the other rules send)
  bug('R4', 'missing-header-500', 'no authorization header crashes with a stack trace (500)', [
    o.instead(o.TOKEN_ROUTES, async (request, reply) =>
      request.headers.authorization === undefined
        ? o.leakedCrash(reply, "Cannot read properties of undefined (reading 'split')")
        : undefined,
    ),
  ]),
  bug('R4', 'bearer-prefix-500', 'a Bearer-prefixed value crashes with a stack trace (500)', [
    o.instead(o.TOKEN_ROUTES, async (request, reply) =>
      o.isBearer(request) ? o.leakedCrash(reply, 'Invalid token specified: invalid base64 for part #1') : undefined,
    ),
  ]),
  bug('R4', 'concurrent-logout-500', 'a logout arriving while another of the same token is in flight answers 500', [
    o.overlappingLogouts('crash'),
  ]),
  bug('R4', 'token-echoed-in-body', 'logout 200 body carries data.token', [
    o.rewrite(o.isLoggedOut, (a) => (a.body!.data.token = a.request.headers.authorization)),
  ]),
  bug('R4', 'token-echoed-in-header', 'every 401 carries x-rejected-token with the sent value', [
    o.rewrite(o.is401, (a) => {
      const sent = a.request.headers.authorization;
      if (sent !== undefined) a.headers['x-rejected-token'] = sent;
    }),
  ]),
  bug('R4', 'token-echoed-in-error-message', 'token rejections quote the sent token in error.message', [
    o.rewrite(o.isTokenRejection, (a) => {
      const sent = a.request.headers.authorization;
      if (sent) a.body!.error.message = `${a.body!.error.message}: ${sent}`;
    }),
  ]),
  bug('R4', 'user-details-500-after-logout', 'Get User Details with a revoked token answers 500', [
    o.whenRevoked(o.USER, o.sessionNotFound),
  ]),
  bug('R4', 'refresh-500-after-logout', 'Refresh with a revoked token answers 500', [o.whenRevoked(o.REFRESH, o.sessionNotFound)]),
  bug('R4', 'logout-replay-500', 'a second logout of the same token answers 500', [o.whenRevoked(o.LOGOUT, o.sessionNotFound)]),
  bug('R4', 'logout-json-body-crashes', 'a logout with a JSON body ({} or {apiKey}) answers 500', [
    o.instead([o.LOGOUT], async (request) => {
      if (typeof request.body === 'object' && request.body !== null)
        throw new TypeError("Cannot read properties of undefined (reading 'refreshToken')");
      return undefined;
    }),
  ]),

  // R5: other methods
  bug('R5', 'get-logs-out', 'GET on the logout path answers 405 but revokes the token it was sent', [
    o.instead([o.logoutWith('GET')], async (request, _reply, ctx) => {
      const check = await checkToken(request, ctx);
      if (check.ok) await ctx.sessions.end(check.claims);
      return undefined;
    }),
  ]),
  bug('R5', 'other-methods-accepted', 'PUT, PATCH and DELETE on the logout path log out like POST', [
    o.instead(['PUT', 'PATCH', 'DELETE'].map(o.logoutWith), async (request, _reply, ctx) => {
      assertPartner(request, ctx);
      return logOut(await requireToken(request, ctx), ctx);
    }),
  ]),

  // R6: one user's logout must not touch another user
  bug('R6', 'logout-revokes-all-users', 'a logout revokes every token issued before it, of any user', [
    o.alsoEnds((_token, _loggedOut, issuedAt, now) => issuedAt <= now),
  ]),

  // R7: concurrent logouts
  bug(
    'R7',
    'concurrent-logouts-all-refused',
    'overlapping logouts of one token all answer 409: none succeeds, though the token is revoked',
    [o.overlappingLogouts('refuse-all')],
  ),

  // R8: latency
  bug('R8', 'slow-logout', `every successful logout takes ${SLOW_LOGOUT_MS} ms`, [o.rewrite(o.isLoggedOut, () => sleep(SLOW_LOGOUT_MS))]),

  // Correct-but-different behaviour the suite must accept
  allowed('reject-as-400', 'token rejections are 400 (body statusCode 400, with name)', [o.rejectAs(400)]),
  allowed('reject-as-403', 'token rejections are 403', [o.rejectAs(403)]),
  allowed('error-codes-shape', '401/403 bodies are {statusCode,message,errorCode} without name', [
    o.rewrite(
      (a) => a.status === 401 || a.status === 403,
      (a) => delete a.body?.error?.name,
    ),
  ]),
  allowed('bad-signature-403', 'a token whose signature fails is rejected with 403, others with 401', [
    o.rejectAs(403, async (request, ctx) => (await o.refusalOf(request, ctx)) === 'bad-signature'),
  ]),
  allowed('extra-fields-and-charset', 'JSON bodies carry extra properties; content type Application/JSON; Charset=UTF-8', [
    o.rewrite((a) => a.body !== undefined, o.extraFieldsAndCharset),
  ]),
  allowed('bearer-tolerated', 'a "Bearer <token>" value is accepted as the token', [o.toleratesBearer()]),
  allowed('same-user-sessions-revoked', "logout revokes every token of that user, and only that user's", [
    o.alsoEnds((token, loggedOut) => token.sub === loggedOut.sub),
  ]),
  // Policies a correct gateway may choose (openapi/NOTES.md), each at a scale a suite run affords
  policy('one-session-per-user', "a new Verify User OTP revokes the user's older tokens"),
  policy(
    'rate-limited-429-retry-after',
    `every ${KILL_MATRIX_RATE_LIMIT_EVERY}th request of a caller is answered 429, unprocessed, with Retry-After: 1`,
  ),
  policy(
    'rate-limited-429-no-retry-after',
    `every ${KILL_MATRIX_RATE_LIMIT_EVERY}th request of a caller is answered 429, unprocessed, without Retry-After`,
  ),
  policy(
    'short-token-lifetime',
    `access tokens live ${KILL_MATRIX_TOKEN_TTL_SECONDS} s (ttl and exp − iat say so), then are rejected and not refreshable`,
  ),
  policy('refresh-needs-api-key-query', 'Refresh refuses a call without ?apiKey=<partner key> with 401, like a bad key'),
] as const);

export type ModeName = (typeof MODES)[number]['name'];

export class UnknownFaultModeError extends Error {
  constructor(readonly mode: string) {
    super(`unknown fault mode "${mode}"; known: ${MODES.map((m) => m.name).join(', ')}`);
    this.name = 'UnknownFaultModeError';
  }
}

export function findMode(name: string): ModeSpec | undefined {
  return MODES.find((m) => m.name === name);
}

/** Throws UnknownFaultModeError for the first name the catalogue does not hold. */
export function assertKnownModes(names: readonly string[]): void {
  for (const name of names) if (!findMode(name)) throw new UnknownFaultModeError(name);
}

/** Installs the named modes' overrides, in order, before any route is registered. */
export function installFaults(target: o.FaultTarget, names: readonly string[]): void {
  assertKnownModes(names);
  for (const name of names) for (const override of findMode(name)!.overrides) override(target);
}
