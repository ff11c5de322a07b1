// Policies the reference does not fix (openapi/NOTES.md): a correct gateway may choose any, so the
// emulator plays each (read per request from the context) and the suite is proven against it.
import { TOKEN_TTL_SECONDS } from './tokens';

/** Every `every`th request of one caller is answered 429, unprocessed. */
export interface RateLimit {
  /** 2 or more: every request refused would leave the caller nothing to retry into. */
  every: number;
  /** The Retry-After header in seconds; undefined sends none (the contract allows both). */
  retryAfterSeconds: number | undefined;
}

export interface Policies {
  /** A new Verify User OTP revokes the user's older tokens (refreshed ones included). */
  oneSessionPerUser: boolean;
  /** Calls over a budget answered 429; undefined: no limit. */
  rateLimit: RateLimit | undefined;
  /** Lifetime of an access token: `ttl` in Verify User OTP's answer, `exp` − `iat` in the token. */
  tokenTtlSeconds: number;
  /** Refresh User Access Token refuses a call without `?apiKey=<partner key>` (401, like a bad key). */
  refreshNeedsApiKeyQuery: boolean;
}

export const REFERENCE_POLICIES: Readonly<Policies> = Object.freeze({
  oneSessionPerUser: false,
  rateLimit: undefined,
  tokenTtlSeconds: TOKEN_TTL_SECONDS,
  refreshNeedsApiKeyQuery: false,
});

/** The kill matrix's figures: short enough that a whole suite run meets each policy many times. */
export const KILL_MATRIX_TOKEN_TTL_SECONDS = 10;
export const KILL_MATRIX_RATE_LIMIT_EVERY = 5;

/** Each policy at a scale a suite run can afford (faults.ts's allowed modes): tokens die within a test's lifetime. */
export const POLICY_PRESETS = Object.freeze({
  'one-session-per-user': { oneSessionPerUser: true },
  'rate-limited-429-retry-after': { rateLimit: { every: KILL_MATRIX_RATE_LIMIT_EVERY, retryAfterSeconds: 1 } },
  'rate-limited-429-no-retry-after': { rateLimit: { every: KILL_MATRIX_RATE_LIMIT_EVERY, retryAfterSeconds: undefined } },
  'short-token-lifetime': { tokenTtlSeconds: KILL_MATRIX_TOKEN_TTL_SECONDS },
  'refresh-needs-api-key-query': { refreshNeedsApiKeyQuery: true },
} satisfies Record<string, Partial<Policies>>);
export type PolicyName = keyof typeof POLICY_PRESETS;
export const POLICY_NAMES = Object.keys(POLICY_PRESETS) as readonly PolicyName[];

export function isPolicyName(name: string): name is PolicyName {
  return Object.hasOwn(POLICY_PRESETS, name);
}

/** Why these policies cannot be, or undefined: the one line an OptionsError says. */
export function policyProblem(policies: Policies): string | undefined {
  const { rateLimit, tokenTtlSeconds } = policies;
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 1) return 'the token lifetime must be a whole number of seconds, 1 or more';
  if (rateLimit === undefined) return undefined;
  if (!Number.isInteger(rateLimit.every) || rateLimit.every < 2)
    return 'the rate limit must answer 429 to every Kth request with K an integer of 2 or more';
  const wait = rateLimit.retryAfterSeconds;
  if (wait !== undefined && (!Number.isInteger(wait) || wait < 0)) return 'Retry-After must be a whole number of seconds, 0 or more';
  return undefined;
}

/** The policies in force, in words (server.ts prints them); [] for the reference's. */
export function describePolicies(policies: Policies): string[] {
  const words: string[] = [];
  if (policies.oneSessionPerUser) words.push('one session per user');
  const limit = policies.rateLimit;
  if (limit !== undefined)
    words.push(
      `429 for one call in ${limit.every} of a caller (${limit.retryAfterSeconds === undefined ? 'no Retry-After' : `Retry-After ${limit.retryAfterSeconds} s`})`,
    );
  if (policies.tokenTtlSeconds !== REFERENCE_POLICIES.tokenTtlSeconds) words.push(`tokens live ${policies.tokenTtlSeconds} s`);
  if (policies.refreshNeedsApiKeyQuery) words.push('Refresh needs ?apiKey=');
  return words;
}
