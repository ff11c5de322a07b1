// Fault modes: deliberate deviations that let the suite prove each verdict rule catches the bug it
// names (kind 'bug'), and that it does not fail a server for behaviour the contract allows (kind
// 'allowed'). Every flag defaults to correct behaviour, so an emulator without modes is the
// reference server; a mode only overrides the few flags it needs.

export type VerdictRule = 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6' | 'R7' | 'R8';

export interface FaultFlags {
  // --- How logout answers a live token (R1, R4, R8).
  logoutStatus: number;
  logoutBody: 'documented' | 'empty' | 'without-data' | 'message-not-string';
  /** null: the JSON content type every other answer has. */
  logoutContentType: string | null;
  echoTokenInLogoutBody: boolean;
  logoutDelayMs: number;

  // --- What logout revokes, and for how long (R2, R6).
  logoutRevokes: boolean;
  /** 'token': only the presented token; 'user': every token of its subject; 'everyone': all tokens issued so far. */
  logoutScope: 'token' | 'user' | 'everyone';
  revocationDelayMs: number;
  /** null: until the token would have expired anyway. */
  revocationLifetimeMs: number | null;

  // --- Which routes consult the revocation store (R2).
  userDetailsChecksRevocation: boolean;
  refreshChecksRevocation: boolean;
  logoutChecksRevocation: boolean;

  // --- How a token is read and verified (R3).
  verifySignature: boolean;
  acceptAlgNone: boolean;
  acceptBearerPrefix: boolean;
  missingHeaderCrashes: boolean;
  bearerPrefixCrashes: boolean;
  /** false: a tolerated "Bearer <token>" logout answers 200 but revokes nothing. */
  bearerLogoutRevokes: boolean;
  logoutAcceptsMissingHeader: boolean;
  logoutAcceptsEmptyHeader: boolean;
  logoutAcceptsMalformed: boolean;

  // --- How a rejection is answered (R2, R4 and the allowed variants).
  tokenRejectionStatus: number;
  /** null: a bad signature is rejected like any other token. */
  badSignatureStatus: number | null;
  /** Logout answers a rejected token with 400 and a body without `name`. */
  logoutRejectsAs400WithoutName: boolean;
  omitNameOn401And403: boolean;
  unauthorizedBodyUnwrapped: boolean;
  /** null: the body's statusCode equals the HTTP status, as it must. */
  unauthorizedBodyStatus: number | null;
  revokedAnsweredAs200: boolean;
  rejectionNotJson: boolean;
  echoTokenInRejectionHeader: boolean;
  echoTokenInErrorMessage: boolean;
  userDetailsCrashesWhenRevoked: boolean;
  refreshCrashesWhenRevoked: boolean;
  logoutReplayCrashes: boolean;

  // --- Other methods on the logout path (R5).
  getOnLogoutRevokes: boolean;
  otherMethodsLogOut: boolean;

  // --- Concurrency (R7).
  concurrentLogoutCrashes: boolean;
  /** Overlapping logouts of one token all answer 409 (the token is revoked all the same). */
  concurrentLogoutsRefused: boolean;

  // --- Presentation that the contract leaves open.
  extraFieldsAndCharset: boolean;
}

export const CORRECT_FLAGS: Readonly<FaultFlags> = Object.freeze({
  logoutStatus: 200,
  logoutBody: 'documented',
  logoutContentType: null,
  echoTokenInLogoutBody: false,
  logoutDelayMs: 0,
  logoutRevokes: true,
  logoutScope: 'token',
  revocationDelayMs: 0,
  revocationLifetimeMs: null,
  userDetailsChecksRevocation: true,
  refreshChecksRevocation: true,
  logoutChecksRevocation: true,
  verifySignature: true,
  acceptAlgNone: false,
  acceptBearerPrefix: false,
  missingHeaderCrashes: false,
  bearerPrefixCrashes: false,
  bearerLogoutRevokes: true,
  logoutAcceptsMissingHeader: false,
  logoutAcceptsEmptyHeader: false,
  logoutAcceptsMalformed: false,
  tokenRejectionStatus: 401,
  badSignatureStatus: null,
  logoutRejectsAs400WithoutName: false,
  omitNameOn401And403: false,
  unauthorizedBodyUnwrapped: false,
  unauthorizedBodyStatus: null,
  revokedAnsweredAs200: false,
  rejectionNotJson: false,
  echoTokenInRejectionHeader: false,
  echoTokenInErrorMessage: false,
  userDetailsCrashesWhenRevoked: false,
  refreshCrashesWhenRevoked: false,
  logoutReplayCrashes: false,
  getOnLogoutRevokes: false,
  otherMethodsLogOut: false,
  concurrentLogoutCrashes: false,
  concurrentLogoutsRefused: false,
  extraFieldsAndCharset: false,
});

export interface ModeSpec {
  name: string;
  kind: 'bug' | 'allowed';
  rule?: VerdictRule;
  summary: string;
  flags: Partial<FaultFlags>;
}

function bug(rule: VerdictRule, name: string, summary: string, flags: Partial<FaultFlags>): ModeSpec {
  return { name, kind: 'bug', rule, summary, flags };
}

function allowed(name: string, summary: string, flags: Partial<FaultFlags>): ModeSpec {
  return { name, kind: 'allowed', summary, flags };
}

export const MODES: readonly ModeSpec[] = Object.freeze([
  // R1: the answer to a successful logout
  bug('R1', 'logout-204-no-body', 'logout answers 204 with an empty body', { logoutStatus: 204, logoutBody: 'empty' }),
  bug('R1', 'logout-201', 'logout answers 201 with the documented body', { logoutStatus: 201 }),
  bug('R1', 'logout-200-without-data', 'logout answers 200 {message} without the data wrapper', {
    logoutBody: 'without-data',
  }),
  bug('R1', 'logout-message-not-string', 'logout answers 200 {data:{message:123}}', {
    logoutBody: 'message-not-string',
  }),
  bug('R1', 'logout-text-plain', 'logout answers the documented body as text/plain', {
    logoutContentType: 'text/plain; charset=utf-8',
  }),

  // R2: the token must be dead afterwards, and rejected in the documented shape
  bug('R2', 'logout-does-not-revoke', 'logout answers 200 but the token keeps working', { logoutRevokes: false }),
  bug('R2', 'user-details-ignores-revocation', 'Get User Details accepts a logged-out token', {
    userDetailsChecksRevocation: false,
  }),
  bug('R2', 'refresh-ignores-revocation', 'Refresh issues a new token for a logged-out token', {
    refreshChecksRevocation: false,
  }),
  bug('R2', 'logout-replay-accepted', 'a second logout of the same token answers 200 again', {
    logoutChecksRevocation: false,
  }),
  bug('R2', 'revocation-delayed', 'revocation takes effect only 1500 ms after the logout', {
    revocationDelayMs: 1500,
  }),
  bug('R2', 'revocation-wears-off', 'a revoked token works again 2000 ms after its logout', {
    revocationLifetimeMs: 2000,
  }),
  bug('R2', 'rejection-without-error-wrapper', 'every 401 body is {statusCode,message} without the error wrapper', {
    unauthorizedBodyUnwrapped: true,
  }),
  bug('R2', 'rejection-status-mismatch', 'every 401 body says statusCode 400', { unauthorizedBodyStatus: 400 }),
  bug('R2', 'rejection-as-200', 'a revoked token is answered with HTTP 200 and the error body', {
    revokedAnsweredAs200: true,
  }),
  bug('R2', 'logout-400-without-name', 'logout rejects tokens with 400 and a body without name', {
    logoutRejectsAs400WithoutName: true,
  }),
  bug('R2', 'rejection-not-json', 'token rejections are answered with a text/plain "Unauthorized"', {
    rejectionNotJson: true,
  }),

  // R3: no way around the token
  bug('R3', 'missing-header-accepted', 'logout without an authorization header answers 200', {
    logoutAcceptsMissingHeader: true,
  }),
  bug('R3', 'empty-header-accepted', 'logout with an empty authorization header answers 200', {
    logoutAcceptsEmptyHeader: true,
  }),
  bug('R3', 'random-token-accepted', 'logout accepts any string that is not a JWT', { logoutAcceptsMalformed: true }),
  bug('R3', 'signature-not-checked', 'claims are decoded without checking the signature, on every route', {
    verifySignature: false,
  }),
  bug('R3', 'alg-none-accepted', 'an unsigned alg:none token with valid claims is accepted', { acceptAlgNone: true }),
  bug('R3', 'missing-header-500', 'no authorization header crashes with a stack trace (500)', {
    missingHeaderCrashes: true,
  }),
  bug('R3', 'bearer-accepted-without-revoking', 'a "Bearer <token>" logout answers 200 but the token keeps working', {
    acceptBearerPrefix: true,
    bearerLogoutRevokes: false,
  }),
  bug('R3', 'bearer-prefix-500', 'a Bearer-prefixed value crashes with a stack trace (500)', {
    bearerPrefixCrashes: true,
  }),

  // R4: no 5xx, no token echoed
  bug('R4', 'token-echoed-in-body', 'logout 200 body carries data.token', { echoTokenInLogoutBody: true }),
  bug('R4', 'token-echoed-in-header', 'every 401 carries x-rejected-token with the sent value', {
    echoTokenInRejectionHeader: true,
  }),
  bug('R4', 'token-echoed-in-error-message', 'token rejections quote the sent token in error.message', {
    echoTokenInErrorMessage: true,
  }),
  bug('R4', 'user-details-500-after-logout', 'Get User Details with a revoked token answers 500', {
    userDetailsCrashesWhenRevoked: true,
  }),
  bug('R4', 'refresh-500-after-logout', 'Refresh with a revoked token answers 500', { refreshCrashesWhenRevoked: true }),
  bug('R4', 'logout-replay-500', 'a second logout of the same token answers 500', { logoutReplayCrashes: true }),

  // R5: other methods
  bug('R5', 'get-logs-out', 'GET on the logout path answers 405 but revokes the token it was sent', {
    getOnLogoutRevokes: true,
  }),
  bug('R5', 'other-methods-accepted', 'PUT, PATCH and DELETE on the logout path log out like POST', {
    otherMethodsLogOut: true,
  }),

  // R6: one user's logout must not touch another user
  bug('R6', 'logout-revokes-all-users', 'a logout revokes every token issued before it, of any user', {
    logoutScope: 'everyone',
  }),

  // R7: concurrent logouts
  bug('R7', 'concurrent-logout-500', 'a logout arriving while another of the same token is in flight answers 500', {
    concurrentLogoutCrashes: true,
  }),
  bug('R7', 'concurrent-logouts-all-refused', 'overlapping logouts of one token all answer 409: none succeeds, though the token is revoked', {
    concurrentLogoutsRefused: true,
  }),

  // R8: latency
  bug('R8', 'slow-logout', 'every successful logout takes 1700 ms', { logoutDelayMs: 1700 }),

  // Correct-but-different behaviour the suite must accept
  allowed('reject-as-400', 'token rejections are 400 (body statusCode 400, with name)', { tokenRejectionStatus: 400 }),
  allowed('reject-as-403', 'token rejections are 403', { tokenRejectionStatus: 403 }),
  allowed('error-codes-shape', '401/403 bodies are {statusCode,message,errorCode} without name', {
    omitNameOn401And403: true,
  }),
  allowed('bad-signature-403', 'a token whose signature fails is rejected with 403, others with 401', {
    badSignatureStatus: 403,
  }),
  allowed('extra-fields-and-charset', 'JSON bodies carry extra properties; content type Application/JSON; Charset=UTF-8', {
    extraFieldsAndCharset: true,
  }),
  allowed('bearer-tolerated', 'a "Bearer <token>" value is accepted as the token', { acceptBearerPrefix: true }),
  allowed('same-user-sessions-revoked', "logout revokes every token of that user, and only that user's", {
    logoutScope: 'user',
  }),
] satisfies ModeSpec[]);

export class UnknownFaultModeError extends Error {
  constructor(readonly mode: string) {
    super(`unknown fault mode "${mode}"; known: ${MODES.map((m) => m.name).join(', ')}`);
    this.name = 'UnknownFaultModeError';
  }
}

export function findMode(name: string): ModeSpec | undefined {
  return MODES.find((m) => m.name === name);
}

/** The flags of the named modes applied over correct behaviour, in order; throws on an unknown name. */
export function flagsFor(names: readonly string[]): FaultFlags {
  const flags: FaultFlags = { ...CORRECT_FLAGS };
  for (const name of names) {
    const mode = findMode(name);
    if (!mode) throw new UnknownFaultModeError(name);
    Object.assign(flags, mode.flags);
  }
  return flags;
}
