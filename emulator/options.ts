import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ResolvedOptions } from './context';
import { assertKnownModes } from './faults';
import { maildirDelivery } from './maildir';
import { hangFromArgv, isNetworkArg, noiseFromEnv, type HangOptions, type NoiseOptions } from './network';
import { RANDOM_OTP } from './otp';
import { REFERENCE_POLICIES, policyProblem, type Policies, type RateLimit } from './policies';
import { PROFILES, PROFILE_NAMES, isProfileName, type ProfileName } from './profile';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 0;
export const DEFAULT_API_KEY = 'emulator-partner-api-key';
export const DEFAULT_OTP = '123456';
export const DEFAULT_OTP_COOLDOWN_MS = 60_000;
export { RANDOM_OTP };

export interface EmulatorOptions {
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
  // Policies a correct gateway may choose (policies.ts); absent, the reference's.
  /** A new Verify User OTP revokes the user's older tokens. */
  oneSessionPerUser?: boolean;
  /** Every `every`th request of a caller answered 429, with Retry-After when `retryAfterSeconds` is set. */
  rateLimit?: RateLimit;
  /** Access tokens live this many seconds (default 2592000, 30 days). */
  tokenTtlSeconds?: number;
  /** Refresh User Access Token refuses a call without `?apiKey=<partner key>`. */
  refreshNeedsApiKeyQuery?: boolean;
}

export interface EmulatorServerOptions extends EmulatorOptions {
  host: string;
  port: number;
}

export class OptionsError extends Error {}

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const profileName = options.profile ?? 'reference';
  if (!isProfileName(profileName)) throw new OptionsError(`unknown profile "${String(profileName)}"; known: ${PROFILE_NAMES.join(', ')}`);
  const profile = PROFILES[profileName];
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  if (apiKey === '') throw new OptionsError('the API key must not be empty');
  const otp = options.otp ?? (profile.otpOnlyByEmail ? RANDOM_OTP : DEFAULT_OTP);
  if (otp === '') throw new OptionsError('the OTP must not be empty');
  if (profile.otpOnlyByEmail && otp !== RANDOM_OTP) {
    throw new OptionsError(`the ${profileName} profile draws a random OTP per login: unset EMULATOR_OTP`);
  }
  if (profile.otpOnlyByEmail && options.onOtpIssued === undefined) {
    throw new OptionsError(`the ${profileName} profile delivers OTPs only by email: set EMULATOR_MAILDIR to the test mailbox's Maildir`);
  }
  const otpCooldownMs = options.otpCooldownMs ?? DEFAULT_OTP_COOLDOWN_MS;
  if (!Number.isInteger(otpCooldownMs) || otpCooldownMs < 0) {
    throw new OptionsError('the OTP cooldown must be a non-negative integer of milliseconds');
  }
  const allowlist = options.allowlist;
  const notAnAddress = allowlist?.find((address) => isIP(address) === 0);
  if (notAnAddress !== undefined)
    throw new OptionsError(`EMULATOR_ALLOWLIST holds "${notAnAddress}", which is not an IP address: list addresses like 127.0.0.1,::1`);
  if (profile.requiresAllowlist && (allowlist === undefined || allowlist.length === 0)) {
    throw new OptionsError(
      `the ${profileName} profile admits only allowlisted callers: set EMULATOR_ALLOWLIST, like EMULATOR_ALLOWLIST=127.0.0.1,::1`,
    );
  }
  const policies: Policies = {
    oneSessionPerUser: options.oneSessionPerUser ?? REFERENCE_POLICIES.oneSessionPerUser,
    rateLimit: options.rateLimit ?? REFERENCE_POLICIES.rateLimit,
    tokenTtlSeconds: options.tokenTtlSeconds ?? REFERENCE_POLICIES.tokenTtlSeconds,
    refreshNeedsApiKeyQuery: options.refreshNeedsApiKeyQuery ?? REFERENCE_POLICIES.refreshNeedsApiKeyQuery,
  };
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
    onOtpIssued: options.onOtpIssued,
    onSecretIssued: options.onSecretIssued,
    clock: options.clock ?? Date.now,
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

const USAGE = 'usage: server.ts [--profile=reference|staging] [--faults=mode1,mode2] [--hang=/path [--hang-count=N]]';

/**
 * Options of server.ts. Fault modes come only from the command line (`--faults=a,b`), never
 * from the environment, so a stray variable can never turn a normal run into a faulty one. The
 * profile, a correct server either way, may come from either (`--profile=` wins).
 * `argv` is the arguments after the script (process.argv.slice(2)).
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv, argv: readonly string[]): EmulatorServerOptions {
  const args = parseArgv(argv);
  const profile = args.profile ?? nonEmpty(env.EMULATOR_PROFILE) ?? 'reference';
  if (!isProfileName(profile))
    throw new OptionsError(`unknown profile "${profile}" (EMULATOR_PROFILE or --profile); known: ${PROFILE_NAMES.join(', ')}`);
  const options: EmulatorServerOptions = {
    host: nonEmpty(env.EMULATOR_HOST) ?? DEFAULT_HOST,
    port: integerFrom(env.EMULATOR_PORT, 'EMULATOR_PORT', DEFAULT_PORT, 65535),
    profile,
    apiKey: nonEmpty(env.EMULATOR_API_KEY) ?? DEFAULT_API_KEY,
    otp: nonEmpty(env.EMULATOR_OTP) ?? (PROFILES[profile].otpOnlyByEmail ? RANDOM_OTP : DEFAULT_OTP),
    otpCooldownMs: integerFrom(env.EMULATOR_OTP_COOLDOWN_MS, 'EMULATOR_OTP_COOLDOWN_MS', DEFAULT_OTP_COOLDOWN_MS, Number.MAX_SAFE_INTEGER),
    faults: args.faults,
    log: env.EMULATOR_LOG === '1',
  };
  const secret = nonEmpty(env.EMULATOR_JWT_SECRET);
  if (secret !== undefined) options.jwtSecret = secret;
  const secretsFile = nonEmpty(env.EMULATOR_SECRETS_FILE);
  if (secretsFile !== undefined) options.onSecretIssued = (issued) => appendFileSync(secretsFile, `${issued}\n`);
  const allowlist = nonEmpty(env.EMULATOR_ALLOWLIST);
  if (allowlist !== undefined)
    options.allowlist = allowlist
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '');
  const statsFile = nonEmpty(env.EMULATOR_STATS_FILE);
  if (statsFile !== undefined) options.statsFile = statsFile;
  Object.assign(options, policiesFromEnv(env));
  // Network behaviour and mail delivery (network.ts, maildir.ts): a bad value is a bad invocation.
  try {
    options.noise = noiseFromEnv(nonEmpty(env.EMULATOR_NOISE));
    options.hang = hangFromArgv(argv);
    const maildir = nonEmpty(env.EMULATOR_MAILDIR);
    if (maildir !== undefined) options.onOtpIssued = maildirDelivery(maildir, PROFILES[profile].otpEmail);
  } catch (error) {
    throw new OptionsError(error instanceof Error ? error.message : String(error));
  }
  resolveOptions(options); // every other check, once, before anything listens
  return options;
}

/**
 * The policies (policies.ts) from EMULATOR_* variables: correct behaviour, so unlike fault modes
 * they may come from the environment, with either profile. Only those set appear.
 */
function policiesFromEnv(env: NodeJS.ProcessEnv): Partial<EmulatorOptions> {
  const options: Partial<EmulatorOptions> = {};
  const oneSession = flagFrom(env.EMULATOR_ONE_SESSION_PER_USER, 'EMULATOR_ONE_SESSION_PER_USER');
  if (oneSession !== undefined) options.oneSessionPerUser = oneSession;
  const refreshNeedsQuery = flagFrom(env.EMULATOR_REFRESH_NEEDS_API_KEY, 'EMULATOR_REFRESH_NEEDS_API_KEY');
  if (refreshNeedsQuery !== undefined) options.refreshNeedsApiKeyQuery = refreshNeedsQuery;
  const ttl = nonEmpty(env.EMULATOR_TOKEN_TTL_SECONDS);
  if (ttl !== undefined) {
    options.tokenTtlSeconds = integerFrom(ttl, 'EMULATOR_TOKEN_TTL_SECONDS', 0, Number.MAX_SAFE_INTEGER);
    if (options.tokenTtlSeconds < 1) throw new OptionsError(`EMULATOR_TOKEN_TTL_SECONDS must be 1 or more, got "${ttl}"`);
  }
  const every = nonEmpty(env.EMULATOR_RATE_LIMIT_EVERY);
  const retryAfter = nonEmpty(env.EMULATOR_RATE_LIMIT_RETRY_AFTER);
  if (every === undefined && retryAfter !== undefined)
    throw new OptionsError('EMULATOR_RATE_LIMIT_RETRY_AFTER needs EMULATOR_RATE_LIMIT_EVERY, the rate limit it belongs to');
  if (every !== undefined) {
    const k = integerFrom(every, 'EMULATOR_RATE_LIMIT_EVERY', 0, Number.MAX_SAFE_INTEGER);
    if (k < 2) throw new OptionsError(`EMULATOR_RATE_LIMIT_EVERY must be 2 or more (every Kth request is answered 429), got "${every}"`);
    const retryAfterSeconds =
      retryAfter === undefined ? undefined : integerFrom(retryAfter, 'EMULATOR_RATE_LIMIT_RETRY_AFTER', 0, Number.MAX_SAFE_INTEGER);
    options.rateLimit = { every: k, retryAfterSeconds };
  }
  return options;
}

function flagFrom(raw: string | undefined, name: string): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw !== '0' && raw !== '1') throw new OptionsError(`${name} must be 1 (on) or 0 (off), got "${raw}"`);
  return raw === '1';
}

function parseArgv(argv: readonly string[]): { faults: string[]; profile: string | undefined } {
  const faults: string[] = [];
  let profile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--faults=')) faults.push(...listOf(arg.slice('--faults='.length)));
    else if (arg === '--faults') faults.push(...listOf(argv[++i] ?? ''));
    else if (arg.startsWith('--profile=')) profile = arg.slice('--profile='.length);
    else if (!isNetworkArg(arg)) throw new OptionsError(`unknown argument "${arg}"; ${USAGE}`);
  }
  return { faults, profile };
}

function listOf(list: string): string[] {
  return list
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function integerFrom(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > max) throw new OptionsError(`${name} must be an integer from 0 to ${max}, got "${raw}"`);
  return value;
}
