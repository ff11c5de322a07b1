/**
 * Obtains a fresh user access token the way a client does: Send User OTP, then Verify User OTP.
 * Both answers are checked against their schemas; a broken flow fails with a line that says which
 * step broke and what to fix. Verify is never retried: four wrong OTPs lock the account for 24 h.
 */
import type { Clock } from './clock';
import { cooldownMargin, type EmailPool } from './email-pool';
import type { Exchange } from './exchange';
import { describe, statusLine } from './exchange';
import type { OtpProvider } from './otp/providers';
import type { SchemaValidator } from './schema-validator';
import type { TransakApi } from './transak-api';
import { checkLoginAnswer } from './verdicts';

/** Our clock and the gateway's differ a little: a token this close to its end counts as ended. */
export const EXPIRY_SKEW_MS = 2000;

export interface UserToken {
  token: string;
  email: string;
  /** When our clock saw Verify User OTP answer (ms since the epoch): a later login of the address may end this token. */
  mintedAt: number;
  /** When the token stops working by itself (the sooner of `ttl` and the JWT's `exp`), if the gateway said. */
  expiresAt?: number;
  /** Contract drift met on the way (a login answer that breaks its schema): recorded, not fatal. */
  loginViolations: string[];
}

export class AuthFlowError extends Error {
  override name = 'AuthFlowError';
}

/** A locked account: nothing more may be attempted with it. */
export class AccountLockedError extends AuthFlowError {
  override name = 'AccountLockedError';
}

/** The target refused the OTP: no later login of the run may use this address (4 wrong OTPs lock it). */
export class OtpRefusedError extends AuthFlowError {
  override name = 'OtpRefusedError';
  constructor(
    message: string,
    readonly email: string,
  ) {
    super(message);
  }
}

export interface AuthFlowDeps {
  api: TransakApi;
  pool: EmailPool;
  otp: OtpProvider;
  validator: SchemaValidator;
  clock: Clock;
  /** How many times a rate-limited Send User OTP is asked again (after waiting the cooldown). */
  rateLimitRetries?: number;
  cooldownMs: number;
  /** Called before every Send User OTP; throws when no login may be attempted any more (a lock elsewhere). */
  beforeLogin?: (email: string) => void;
  /** Told, before waiting, of every wait the login imposes (pool cooldown, a 1019 waited out). */
  onWait?: (ms: number) => void;
  /** Told, before the address is released, that no later login may use it ('address') or any address ('run'). */
  onStop?: (scope: 'address' | 'run', email: string, reason: string) => void;
}

/** The variable to fix when an OTP source hands out a code the target refuses. */
const OTP_VARIABLE: Record<OtpProvider['kind'], string> = {
  fixed: 'TRANSAK_OTP',
  command: 'TRANSAK_OTP_COMMAND',
  imap: 'TRANSAK_OTP_IMAP_URL (the mailbox it reads)',
};

const RATE_LIMITED = 1019;
const INVALID_OTP = 1007;

function errorOf(ex: Exchange): { message: string; errorCode?: number } {
  const error = (ex.json as { error?: { message?: unknown; errorCode?: unknown } } | undefined)?.error;
  return {
    message: typeof error?.message === 'string' ? error.message : '',
    errorCode: typeof error?.errorCode === 'number' ? error.errorCode : undefined,
  };
}

function isLocked(ex: Exchange): boolean {
  return /lock/i.test(errorOf(ex).message);
}

function lockedError(email: string): AccountLockedError {
  return new AccountLockedError(
    `${email} is locked by the gateway (too many wrong OTPs): stopping without further attempts; unlock it or remove it from TRANSAK_EMAILS`,
  );
}

function failure(step: string, ex: Exchange, fix: string): AuthFlowError {
  const { message, errorCode } = errorOf(ex);
  const detail = message ? ` "${message.slice(0, 120)}"${errorCode !== undefined ? ` (errorCode ${errorCode})` : ''}` : '';
  return new AuthFlowError(`${step} failed: ${describe(ex)} answered ${statusLine(ex)}${detail}; ${fix}`);
}

/** The one field a login step cannot do without; anything else that drifts is only recorded. */
function required(step: string, ex: Exchange, field: 'stateToken' | 'accessToken', validator: SchemaValidator): string {
  const value = (ex.json as { data?: Record<string, unknown> } | undefined)?.data?.[field];
  if (typeof value === 'string' && value !== '') return value;
  const problems = checkLoginAnswer(ex, validator);
  throw new AuthFlowError(
    `${step} answered 200 without data.${field}, so no token can be obtained: ${problems.join('; ') || 'the body is not the documented one'}`,
  );
}

async function sendOtp(deps: AuthFlowDeps, email: string): Promise<{ stateToken: string; sentAt: Date; violations: string[] }> {
  // Generous: when other processes share the address, each round has one winner (bounded by the test timeout).
  const attempts = (deps.rateLimitRetries ?? 30) + 1;
  for (let attempt = 1; ; attempt++) {
    deps.beforeLogin?.(email);
    const sentAt = new Date(deps.clock.now());
    // Marked as it is asked (any later login of the address waits from here) and again once answered.
    deps.pool.markSent(email);
    const ex = await deps.api.sendOtp(email);
    deps.pool.markSent(email);
    if (ex.status === 200) {
      return {
        stateToken: required('Send User OTP', ex, 'stateToken', deps.validator),
        sentAt,
        violations: checkLoginAnswer(ex, deps.validator),
      };
    }
    if (isLocked(ex)) throw lockedError(email);
    if (ex.status === 400 && errorOf(ex).errorCode === RATE_LIMITED && attempt < attempts) {
      // Another process (or a previous run) asked for this address recently: wait and ask again.
      // The jitter keeps workers that were refused together from asking together again.
      const wait = deps.cooldownMs + cooldownMargin(deps.cooldownMs) + Math.floor(Math.random() * Math.min(1000, deps.cooldownMs / 4));
      deps.onWait?.(wait);
      await deps.clock.sleep(wait);
      continue;
    }
    if (ex.status === 400 && errorOf(ex).errorCode === RATE_LIMITED) {
      throw failure(
        'Send User OTP',
        ex,
        `still rate-limited after ${attempts} attempts: other processes keep asking OTPs for ${email}; give each run its own TRANSAK_EMAILS`,
      );
    }
    if (ex.status === 401 || ex.status === 403) {
      // Transak accepts whitelabel calls only from allowlisted egress IPs, and refuses others just as it refuses a bad key.
      throw failure(
        'Send User OTP',
        ex,
        "the caller was refused: either TRANSAK_API_KEY is not the staging partner key (fix the key), or this machine's egress IP is not on Transak's allowlist (ask Transak to allowlist it; in CI use a self-hosted or static-IP runner)",
      );
    }
    throw failure('Send User OTP', ex, 'check TRANSAK_EMAILS and the target');
  }
}

export async function mintUserToken(deps: AuthFlowDeps, options: { sameEmailAs?: string; except?: string[] } = {}): Promise<UserToken> {
  const onWait = deps.onWait;
  const email =
    options.sameEmailAs !== undefined
      ? await deps.pool.acquireSame(options.sameEmailAs, { onWait })
      : await deps.pool.acquire({ except: options.except, onWait });
  // The address is held until this login is over: the next login of it starts only once this one's
  // outcome (and any stop it wrote) is known, so a wrong OTP source never gets two tries at once.
  try {
    return await login(deps, email);
  } catch (error) {
    if (error instanceof AccountLockedError) deps.onStop?.('run', email, error.message);
    if (error instanceof OtpRefusedError) deps.onStop?.('address', email, error.message);
    throw error;
  } finally {
    deps.pool.release(email);
  }
}

async function login(deps: AuthFlowDeps, email: string): Promise<UserToken> {
  const { stateToken, sentAt, violations } = await sendOtp(deps, email);
  const otp = await deps.otp.otpFor({ email, sentAt });
  const ex = await deps.api.verifyOtp({ email, otp, stateToken });
  if (ex.status !== 200) {
    if (isLocked(ex)) throw lockedError(email);
    if (errorOf(ex).errorCode === INVALID_OTP || /otp/i.test(errorOf(ex).message)) {
      const refused = failure(
        'Verify User OTP',
        ex,
        `the ${deps.otp.kind} OTP source gave a code the target refused; fix ${OTP_VARIABLE[deps.otp.kind]} (${email} is not tried again in this run: 4 wrong OTPs lock the account for 24 h)`,
      );
      throw new OtpRefusedError(refused.message, email);
    }
    throw failure('Verify User OTP', ex, 'the state token may have expired or been used; check the target');
  }
  const token = required('Verify User OTP', ex, 'accessToken', deps.validator);
  const mintedAt = deps.clock.now();
  return {
    token,
    email,
    mintedAt,
    expiresAt: expiryOf(ex, token, mintedAt),
    loginViolations: [...violations, ...checkLoginAnswer(ex, deps.validator)],
  };
}

/**
 * The token's natural end: Verify's `ttl` (seconds from now) and the JWT's `exp` claim (read, not
 * verified: only the gateway can verify it), whichever comes first. Undefined when neither is given.
 */
export function expiryOf(ex: Exchange, token: string, now: number): number | undefined {
  const ttl = (ex.json as { data?: { ttl?: unknown } } | undefined)?.data?.ttl;
  const fromTtl = typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0 ? now + ttl * 1000 : undefined;
  let fromExp: number | undefined;
  try {
    const exp = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    fromExp = typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    // Not a JWT we can read: the ttl alone says.
  }
  const known = [fromTtl, fromExp].filter((at): at is number => at !== undefined);
  return known.length ? Math.min(...known) : undefined;
}
