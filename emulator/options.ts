import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { flagsFor } from './faults';
import { maildirDelivery } from './maildir';
import { hangFromArgv, isNetworkArg, noiseFromEnv, type HangOptions, type NoiseOptions } from './network';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 0;
export const DEFAULT_API_KEY = 'emulator-partner-api-key';
export const DEFAULT_OTP = '123456';
/** EMULATOR_OTP value that makes every login draw a fresh 6-digit OTP. */
export const RANDOM_OTP = 'random';
export const DEFAULT_OTP_COOLDOWN_MS = 60_000;

export interface EmulatorOptions {
  /** Partner API key every request must carry (header x-api-key, and body/query where documented). */
  apiKey?: string;
  /** The OTP every login issues, or RANDOM_OTP for a fresh one per login. */
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
}

export interface EmulatorServerOptions extends EmulatorOptions {
  host: string;
  port: number;
}

export interface ResolvedOptions {
  apiKey: string;
  otp: string;
  otpCooldownMs: number;
  jwtSecret: Uint8Array;
  faults: readonly string[];
  log: boolean;
  onOtpIssued: ((email: string, otp: string) => void | Promise<void>) | undefined;
  onSecretIssued?: (secret: string) => void;
  clock: () => number;
}

export class OptionsError extends Error {}

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  if (apiKey === '') throw new OptionsError('the API key must not be empty');
  const otp = options.otp ?? DEFAULT_OTP;
  if (otp === '') throw new OptionsError('the OTP must not be empty');
  const otpCooldownMs = options.otpCooldownMs ?? DEFAULT_OTP_COOLDOWN_MS;
  if (!Number.isInteger(otpCooldownMs) || otpCooldownMs < 0) {
    throw new OptionsError('the OTP cooldown must be a non-negative integer of milliseconds');
  }
  const faults = options.faults ?? [];
  flagsFor(faults); // fail at startup, not on the first request
  return {
    apiKey,
    otp,
    otpCooldownMs,
    jwtSecret: secretBytes(options.jwtSecret),
    faults,
    log: options.log ?? false,
    onOtpIssued: options.onOtpIssued,
    onSecretIssued: options.onSecretIssued,
    clock: options.clock ?? Date.now,
  };
}

function secretBytes(secret: string | Uint8Array | undefined): Uint8Array {
  if (secret === undefined) return randomBytes(32);
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (bytes.length === 0) throw new OptionsError('the JWT secret must not be empty');
  return bytes;
}

/**
 * Options of server.ts. Fault modes come only from the command line (`--faults=a,b`), never
 * from the environment, so a stray variable can never turn a normal run into a faulty one.
 * `argv` is the arguments after the script (process.argv.slice(2)).
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv, argv: readonly string[]): EmulatorServerOptions {
  const options: EmulatorServerOptions = {
    host: nonEmpty(env.EMULATOR_HOST) ?? DEFAULT_HOST,
    port: integerFrom(env.EMULATOR_PORT, 'EMULATOR_PORT', DEFAULT_PORT, 65535),
    apiKey: nonEmpty(env.EMULATOR_API_KEY) ?? DEFAULT_API_KEY,
    otp: nonEmpty(env.EMULATOR_OTP) ?? DEFAULT_OTP,
    otpCooldownMs: integerFrom(
      env.EMULATOR_OTP_COOLDOWN_MS,
      'EMULATOR_OTP_COOLDOWN_MS',
      DEFAULT_OTP_COOLDOWN_MS,
      Number.MAX_SAFE_INTEGER,
    ),
    faults: faultsFromArgv(argv),
    log: env.EMULATOR_LOG === '1',
  };
  const secret = nonEmpty(env.EMULATOR_JWT_SECRET);
  if (secret !== undefined) options.jwtSecret = secret;
  const secretsFile = nonEmpty(env.EMULATOR_SECRETS_FILE);
  if (secretsFile !== undefined) options.onSecretIssued = (issued) => appendFileSync(secretsFile, `${issued}\n`);
  // Network behaviour and mail delivery (network.ts, maildir.ts): a bad value is a bad invocation.
  try {
    options.noise = noiseFromEnv(nonEmpty(env.EMULATOR_NOISE));
    options.hang = hangFromArgv(argv);
    const maildir = nonEmpty(env.EMULATOR_MAILDIR);
    if (maildir !== undefined) options.onOtpIssued = maildirDelivery(maildir);
  } catch (error) {
    throw new OptionsError(error instanceof Error ? error.message : String(error));
  }
  flagsFor(options.faults ?? []);
  return options;
}

function faultsFromArgv(argv: readonly string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let list: string | undefined;
    if (arg.startsWith('--faults=')) list = arg.slice('--faults='.length);
    else if (arg === '--faults') list = argv[++i] ?? '';
    else if (isNetworkArg(arg)) continue;
    else throw new OptionsError(`unknown argument "${arg}"; usage: server.ts [--faults=mode1,mode2] [--hang=/path [--hang-count=N]]`);
    names.push(...list.split(',').map((n) => n.trim()).filter((n) => n !== ''));
  }
  return names;
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
