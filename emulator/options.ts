import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { listOf } from '../helpers/config';
import { EMULATOR_DEFAULT_API_KEY as DEFAULT_API_KEY, EMULATOR_DEFAULT_OTP as DEFAULT_OTP } from '../helpers/embedded-emulator';
import type { ResolvedOptions } from './context';
import { assertKnownModes } from './faults';
import { maildirDelivery } from './maildir';
import { DEFAULT_NOISE, type HangOptions, type NoiseOptions } from './network';
import { RANDOM_OTP } from './otp';
import { REFERENCE_POLICIES, policyProblem, type Policies } from './policies';
import { PROFILES, PROFILE_NAMES, isProfileName, type ProfileName } from './profile';

export { DEFAULT_API_KEY, DEFAULT_OTP };
export const DEFAULT_OTP_COOLDOWN_MS = 60_000;

/** Besides the policies a correct gateway may choose (policies.ts): absent, the reference's. */
export interface EmulatorOptions extends Partial<Policies> {
  /** 'reference' (default) or 'staging': see profile.ts. */
  profile?: ProfileName;
  /** Partner API key every request must carry (header x-api-key, and body/query where documented). */
  apiKey?: string;
  /** The OTP every login issues, or RANDOM_OTP for a fresh one per login (always, in the staging profile). */
  otp?: string;
  /** One OTP per email per this many milliseconds. */
  otpCooldownMs?: number;
  /** HS256 key of the access tokens; random per build when absent. */
  jwtSecret?: string | Uint8Array;
  /** Names of fault modes (see faults.ts). Unknown names make buildApp throw. */
  faults?: readonly string[];
  /** Fastify request logging at level info, with credentials redacted. */
  log?: boolean;
  /** Called (and awaited) with every OTP issued, before login answers: a mailbox can deliver it. */
  onOtpIssued?: (email: string, otp: string) => void | Promise<void>;
  /** Milliseconds since the epoch; tests replace it to cross expiries without waiting. */
  clock?: () => number;
  /** Called with every state token, OTP and access token issued (the report self-test's leak oracle). */
  onSecretIssued?: (secret: string) => void;
  /** Network noise before any handler (random latency, occasional resets); see network.ts. Off by default. */
  noise?: NoiseOptions;
  /** Requests to this path are never answered (a hanging target); see network.ts. Off by default. */
  hang?: HangOptions;
  /** Caller addresses (IPv4/IPv6) allowed in; everybody else is refused like a bad API key. */
  allowlist?: readonly string[];
  /** A JSON file rewritten after every Send and Verify User OTP call with the calls per address (stats.ts). */
  statsFile?: string;
}

export type EmulatorServerOptions = EmulatorOptions & { host: string; port: number };

export class OptionsError extends Error {}

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const profileName = options.profile ?? 'reference';
  if (!isProfileName(profileName)) throw new OptionsError(`unknown profile "${String(profileName)}"; known: ${PROFILE_NAMES.join(', ')}`);
  const profile = PROFILES[profileName];
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  if (apiKey === '') throw new OptionsError('the API key must not be empty');
  const otp = options.otp ?? (profile.otpOnlyByEmail ? RANDOM_OTP : DEFAULT_OTP);
  if (otp === '') throw new OptionsError('the OTP must not be empty');
  if (profile.otpOnlyByEmail && otp !== RANDOM_OTP)
    throw new OptionsError(`the ${profileName} profile draws a random OTP per login: unset EMULATOR_OTP`);
  if (profile.otpOnlyByEmail && options.onOtpIssued === undefined)
    throw new OptionsError(`the ${profileName} profile delivers OTPs only by email: set EMULATOR_MAILDIR to the test mailbox's Maildir`);
  const otpCooldownMs = options.otpCooldownMs ?? DEFAULT_OTP_COOLDOWN_MS;
  if (!Number.isInteger(otpCooldownMs) || otpCooldownMs < 0)
    throw new OptionsError('the OTP cooldown must be a non-negative integer of milliseconds');
  const allowlist = options.allowlist;
  const notAnAddress = allowlist?.find((address) => isIP(address) === 0);
  if (notAnAddress !== undefined)
    throw new OptionsError(`EMULATOR_ALLOWLIST holds "${notAnAddress}", which is not an IP address: list addresses like 127.0.0.1,::1`);
  if (profile.requiresAllowlist && !allowlist?.length)
    throw new OptionsError(
      `the ${profileName} profile admits only allowlisted callers: set EMULATOR_ALLOWLIST, like EMULATOR_ALLOWLIST=127.0.0.1,::1`,
    );
  const { oneSessionPerUser, rateLimit, tokenTtlSeconds, refreshNeedsApiKeyQuery } = { ...REFERENCE_POLICIES, ...definedOnly(options) };
  const policies: Policies = { oneSessionPerUser, rateLimit, tokenTtlSeconds, refreshNeedsApiKeyQuery };
  const problem = policyProblem(policies);
  if (problem !== undefined) throw new OptionsError(problem);
  const faults = options.faults ?? [];
  assertKnownModes(faults); // fail at startup, not on the first request
  return {
    profileName,
    profile,
    apiKey,
    otp,
    otpCooldownMs,
    jwtSecret: secretBytes(options.jwtSecret),
    faults,
    log: options.log ?? false,
    clock: options.clock ?? Date.now,
    onOtpIssued: options.onOtpIssued,
    onSecretIssued: options.onSecretIssued,
    allowlist,
    statsFile: options.statsFile,
    policies: Object.freeze(policies),
  };
}

function secretBytes(secret: string | Uint8Array | undefined): Uint8Array {
  if (secret === undefined) return randomBytes(32);
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (bytes.length === 0) throw new OptionsError('the JWT secret must not be empty');
  return bytes;
}

const USAGE = 'usage: server.ts [--profile=reference|staging] [--faults=mode1,mode2] [--hang=/path [--hang-count=N] [--hang-after=M]]';
const ARGS = {
  faults: { type: 'string', multiple: true },
  profile: { type: 'string' },
  hang: { type: 'string' },
  'hang-count': { type: 'string' },
  'hang-after': { type: 'string' },
} as const;

/**
 * server.ts's options from EMULATOR_* and `argv` (after the script). Fault modes come only from `--faults=`,
 * so a stray variable cannot make a run faulty; the profile, correct either way, from either (`--profile=` wins).
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv, argv: readonly string[]): EmulatorServerOptions {
  const args = parseArgv(argv);
  const profile = args.profile ?? nonEmpty(env.EMULATOR_PROFILE) ?? 'reference';
  if (!isProfileName(profile))
    throw new OptionsError(`unknown profile "${profile}" (EMULATOR_PROFILE or --profile); known: ${PROFILE_NAMES.join(', ')}`);
  const secretsFile = nonEmpty(env.EMULATOR_SECRETS_FILE);
  const allowlist = nonEmpty(env.EMULATOR_ALLOWLIST);
  const maildir = nonEmpty(env.EMULATOR_MAILDIR);
  const options: EmulatorServerOptions = {
    host: nonEmpty(env.EMULATOR_HOST) ?? '127.0.0.1',
    port: integerFrom(env.EMULATOR_PORT, 'EMULATOR_PORT', 0, { max: 65535 }),
    profile,
    apiKey: nonEmpty(env.EMULATOR_API_KEY) ?? DEFAULT_API_KEY,
    otp: nonEmpty(env.EMULATOR_OTP) ?? (PROFILES[profile].otpOnlyByEmail ? RANDOM_OTP : DEFAULT_OTP),
    otpCooldownMs: integerFrom(env.EMULATOR_OTP_COOLDOWN_MS, 'EMULATOR_OTP_COOLDOWN_MS', DEFAULT_OTP_COOLDOWN_MS),
    faults: (args.faults ?? []).flatMap(listOf),
    log: env.EMULATOR_LOG === '1',
    ...definedOnly({
      jwtSecret: nonEmpty(env.EMULATOR_JWT_SECRET),
      onSecretIssued: secretsFile === undefined ? undefined : (issued: string) => appendFileSync(secretsFile, `${issued}\n`),
      allowlist: allowlist === undefined ? undefined : listOf(allowlist),
      statsFile: nonEmpty(env.EMULATOR_STATS_FILE),
      ...policiesFromEnv(env),
      noise: flagFrom(env.EMULATOR_NOISE, 'EMULATOR_NOISE') ? { ...DEFAULT_NOISE } : undefined,
      hang: hangFrom(args),
    }),
  };
  try {
    if (maildir !== undefined) options.onOtpIssued = maildirDelivery(maildir, PROFILES[profile].otpEmail);
  } catch (error) {
    throw new OptionsError(error instanceof Error ? error.message : String(error));
  }
  resolveOptions(options); // every other check, once, before anything listens
  return options;
}

function parseArgv(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: ARGS }).values;
  } catch (error) {
    throw new OptionsError(`${error instanceof Error ? error.message : String(error)}; ${USAGE}`);
  }
}

/** The options whose value is not undefined: those the environment or the command line set. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The policies from EMULATOR_* variables: correct behaviour, so unlike fault modes they may come from the environment. */
function policiesFromEnv(env: NodeJS.ProcessEnv): Partial<EmulatorOptions> {
  const { EMULATOR_TOKEN_TTL_SECONDS: ttl, EMULATOR_RATE_LIMIT_EVERY: every, EMULATOR_RATE_LIMIT_RETRY_AFTER: retryAfter } = env;
  if (!nonEmpty(every) && nonEmpty(retryAfter))
    throw new OptionsError('EMULATOR_RATE_LIMIT_RETRY_AFTER needs EMULATOR_RATE_LIMIT_EVERY, the rate limit it belongs to');
  // K = 1 would refuse every request.
  const k = integerFrom(every, 'EMULATOR_RATE_LIMIT_EVERY', undefined, { min: 2, means: 'every Kth request is answered 429' });
  return {
    oneSessionPerUser: flagFrom(env.EMULATOR_ONE_SESSION_PER_USER, 'EMULATOR_ONE_SESSION_PER_USER'),
    refreshNeedsApiKeyQuery: flagFrom(env.EMULATOR_REFRESH_NEEDS_API_KEY, 'EMULATOR_REFRESH_NEEDS_API_KEY'),
    tokenTtlSeconds: integerFrom(ttl, 'EMULATOR_TOKEN_TTL_SECONDS', undefined, { min: 1 }),
    rateLimit:
      k === undefined ? undefined : { every: k, retryAfterSeconds: integerFrom(retryAfter, 'EMULATOR_RATE_LIMIT_RETRY_AFTER', undefined) },
  };
}

/** `--hang=/path`, `--hang-count=N` and `--hang-after=M`: requests to the path are never answered (network.ts). */
function hangFrom(args: ReturnType<typeof parseArgv>): HangOptions | undefined {
  const { hang: path, 'hang-count': count, 'hang-after': after } = args;
  if (path === undefined) {
    if (count !== undefined || after !== undefined) throw new OptionsError('--hang-count and --hang-after need --hang=/path');
    return undefined;
  }
  if (!path.startsWith('/')) throw new OptionsError(`--hang needs a path starting with /, got "${path}"`);
  return {
    path,
    count: integerFrom(count, '--hang-count', Infinity, { min: 1 }),
    after: integerFrom(after, '--hang-after', undefined),
  };
}

function flagFrom(raw: string | undefined, name: string): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw !== '0' && raw !== '1') throw new OptionsError(`${name} must be 1 (on) or 0 (off), got "${raw}"`);
  return raw === '1';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * An integer environment value or argument; `fallback` when unset. An empty environment value is
 * unset; an empty argument (`--hang-count=`) is a mistake. `means` says what the value does.
 */
function integerFrom<F extends number | undefined>(
  raw: string | undefined,
  name: string,
  fallback: F,
  { min = 0, max = Number.MAX_SAFE_INTEGER, means = '' }: { min?: number; max?: number; means?: string } = {},
): number | F {
  if (raw === undefined || (raw === '' && !name.startsWith('--'))) return fallback;
  const value = Number(raw);
  const hint = means && ` (${means})`;
  if (!/^\d+$/.test(raw) || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new OptionsError(`${name} must be an integer ${range}${hint}, got "${raw}"`);
  }
  if (value < min) throw new OptionsError(`${name} must be ${min} or more${hint}, got "${raw}"`);
  return value;
}
