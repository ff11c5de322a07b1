/**
 * `npm run rehearse -- --policies=…`: the policies a correct gateway may choose (emulator/policies.ts)
 * as the EMULATOR_* variables of a rehearsed night. Their figures are a staging gateway's plausible
 * ones, not the kill matrix's: a night at the real OTP cooldown meets them as staging would.
 */
import { POLICY_NAMES, isPolicyName, type PolicyName } from '../emulator/policies';

/** Tokens that die within a cooldown or two, as a staging gateway's might. */
export const REHEARSAL_TOKEN_TTL_SECONDS = 45;
/** One call in ten refused 429; a Retry-After of a second, where the variant sends one. */
export const REHEARSAL_RATE_LIMIT_EVERY = 10;

const ENV: Readonly<Record<PolicyName, Record<string, string>>> = {
  'one-session-per-user': { EMULATOR_ONE_SESSION_PER_USER: '1' },
  'rate-limited-429-retry-after': { EMULATOR_RATE_LIMIT_EVERY: String(REHEARSAL_RATE_LIMIT_EVERY), EMULATOR_RATE_LIMIT_RETRY_AFTER: '1' },
  'rate-limited-429-no-retry-after': { EMULATOR_RATE_LIMIT_EVERY: String(REHEARSAL_RATE_LIMIT_EVERY) },
  'short-token-lifetime': { EMULATOR_TOKEN_TTL_SECONDS: String(REHEARSAL_TOKEN_TTL_SECONDS) },
  'refresh-needs-api-key-query': { EMULATOR_REFRESH_NEEDS_API_KEY: '1' },
};

/** `all` is every policy at once; of the two rate-limit variants, the one with Retry-After. */
export const ALL_POLICIES: readonly PolicyName[] = POLICY_NAMES.filter((name) => name !== 'rate-limited-429-no-retry-after');

/** The names a `--policies=` value asks for; throws one line for an unknown name or two rate limits. */
export function parsePolicies(value: string): PolicyName[] {
  const names = value.match(/[^\s,]+/g) ?? [];
  if (names.length === 1 && names[0] === 'all') return [...ALL_POLICIES];
  const unknown = names.find((name) => !isPolicyName(name));
  if (unknown !== undefined) throw new Error(`unknown policy "${unknown}" in --policies; known: all, ${POLICY_NAMES.join(', ')}`);
  const chosen = [...new Set(names)] as PolicyName[];
  if (chosen.filter((name) => name.startsWith('rate-limited-429-')).length > 1)
    throw new Error('--policies may hold one rate limit: rate-limited-429-retry-after or rate-limited-429-no-retry-after');
  return chosen;
}

/** The nights `--policies=` asks for: `each` is all of them together, then each alone; anything else is one night. */
export function nightsFor(value: string): PolicyName[][] {
  return value.trim() === 'each' ? [[...ALL_POLICIES], ...POLICY_NAMES.map((name) => [name])] : [parsePolicies(value)];
}

export function policyEnv(policies: readonly PolicyName[]): Record<string, string> {
  return Object.assign({}, ...policies.map((name) => ENV[name])) as Record<string, string>;
}
