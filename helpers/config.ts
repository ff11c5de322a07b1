/**
 * The suite's configuration: read once from the environment (after dotenv), validated, typed.
 * Every invalid value becomes one ConfigError line that names the variable and the fix.
 */
import { isIP } from 'node:net';
import { EMBEDDED_OTP_COOLDOWN_MS, EMULATOR_DEFAULT_API_KEY, EMULATOR_DEFAULT_OTP, EMULATOR_URL_VARIABLE } from './embedded-emulator';
import { parseImapUrl, type ImapMailbox } from './otp/imap-url';
import { isLoopbackHost } from './loopback';
import { DEFAULT_LOGOUT_SLO_MS } from './rules';

export const PRODUCTION_HOST = 'api-gateway.transak.com';
export const STAGING_URL = 'https://api-gateway-stg.transak.com';
const REQUIRE_REMOTE_VARIABLE = 'TRANSAK_REQUIRE_REMOTE';
/** Rule 2's latest look on the emulator and other loopback targets, where nothing else is waited for. */
export const R2_LATE_LOOK_LOCAL_MS = 5000;

export type TargetKind = 'embedded-emulator' | 'loopback' | 'remote';
export type SameUserPolicy = 'observe' | 'survive' | 'revoked';

export type OtpSource =
  | { kind: 'fixed'; otp: string }
  | { kind: 'command'; command: string; timeoutMs: number }
  /** clockSlackMs: how much older than Send User OTP (by the mail server's clock) a message may look and still count. */
  | { kind: 'imap'; mailbox: ImapMailbox; timeoutMs: number; clockSlackMs: number };

export type SuiteConfig = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function positiveInt(env: Env, name: string, fallback: number, min = 1): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new ConfigError(
      `${name}="${raw}" is not a whole number of at least ${min}: set it like ${name}=${fallback}, or remove it for the default (${fallback})`,
    );
  }
  return Number(raw);
}

/** A switch that is 1 or unset; any other value is refused, naming what 1 does. */
function flag(env: Env, name: string, meaning: string): boolean {
  const raw = read(env, name);
  if (raw !== undefined && raw !== '1')
    throw new ConfigError(`${name}="${raw}" is not recognised: set it to 1 to ${meaning}, or remove it`);
  return raw === '1';
}

/**
 * A base URL as an error line may show it: whatever stands between its scheme and its last `@`
 * (credentials, in every spelling URL accepts: `https://u:p@h`, `https:u:p@h`) masked.
 */
function shownUrl(raw: string): string {
  const at = raw.lastIndexOf('@');
  if (at === -1) return raw;
  const scheme = /^[a-z][\w+.-]*:[\\/]*/i.exec(raw)?.[0] ?? '';
  return `${scheme}***${raw.slice(at)}`;
}

function resolveTarget(env: Env): { baseUrl: string; target: TargetKind } {
  const configured = read(env, 'TRANSAK_BASE_URL');
  // Set by the release gate, so that no workflow expression (an input or variable that evaluates
  // to '') can route a gate to the embedded emulator and judge it green.
  const remoteOnly = flag(env, REQUIRE_REMOTE_VARIABLE, 'refuse any target but a remote gateway');
  const refuseLocal = (what: string): ConfigError =>
    new ConfigError(
      `${REQUIRE_REMOTE_VARIABLE}=1 and TRANSAK_BASE_URL is ${what}: nothing but a remote gateway may be judged here; pass the gateway, like TRANSAK_BASE_URL=${STAGING_URL}`,
    );
  if (remoteOnly && configured === undefined) throw refuseLocal('empty');
  const raw = configured ?? read(env, EMULATOR_URL_VARIABLE);
  if (raw === undefined) {
    throw new ConfigError(
      'no target: TRANSAK_BASE_URL is unset and the embedded emulator did not report its address; run through `npm run test:api` (which starts it), or set TRANSAK_BASE_URL',
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `TRANSAK_BASE_URL="${shownUrl(raw)}" is not a URL: set it like TRANSAK_BASE_URL=${STAGING_URL}, or unset it to use the embedded emulator`,
    );
  }
  if (remoteOnly && isLoopbackHost(url.hostname)) throw refuseLocal(`"${shownUrl(raw)}", this machine`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`TRANSAK_BASE_URL="${shownUrl(raw)}" must be http(s): set it like TRANSAK_BASE_URL=${STAGING_URL}`);
  }
  const allowProduction = flag(env, 'TRANSAK_ALLOW_PRODUCTION', 'allow the production gateway');
  // Hosts compared as hosts: URL lower-cases the name and drops a default port; a trailing dot
  // (the fully qualified form) names the same host.
  if (url.hostname.replace(/\.+$/, '') === PRODUCTION_HOST && !allowProduction) {
    throw new ConfigError(
      `TRANSAK_BASE_URL points at production (${PRODUCTION_HOST}): the suite logs real users out there; use ${STAGING_URL}, or set TRANSAK_ALLOW_PRODUCTION=1 if you really mean it`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(
      `TRANSAK_BASE_URL="${url.origin}…" must hold no credentials, query or fragment: set only the gateway origin, like ${STAGING_URL}`,
    );
  }
  const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  if (configured === undefined) return { baseUrl, target: 'embedded-emulator' };
  return { baseUrl, target: isLoopbackHost(url.hostname) ? 'loopback' : 'remote' };
}

function resolveOtp(env: Env, target: TargetKind, cooldownMs: number): OtpSource {
  const fixed = read(env, 'TRANSAK_OTP');
  const command = read(env, 'TRANSAK_OTP_COMMAND');
  const imap = read(env, 'TRANSAK_OTP_IMAP_URL');
  const timeoutMs = positiveInt(env, 'TRANSAK_OTP_TIMEOUT_MS', 60_000);
  const chosen = [fixed && 'TRANSAK_OTP', command && 'TRANSAK_OTP_COMMAND', imap && 'TRANSAK_OTP_IMAP_URL'].filter(Boolean);
  if (chosen.length > 1) {
    throw new ConfigError(`${chosen.join(' and ')} are both set: keep exactly one OTP source`);
  }
  if (fixed !== undefined) {
    if (!/^\d{4,8}$/.test(fixed))
      throw new ConfigError('TRANSAK_OTP is not 4 to 8 digits: set the fixed code of the test accounts, or use TRANSAK_OTP_COMMAND');
    return { kind: 'fixed', otp: fixed };
  }
  if (command !== undefined) return { kind: 'command', command, timeoutMs };
  if (imap !== undefined) {
    const mailbox = parseImapUrl(imap);
    if ('problem' in mailbox) throw new ConfigError(mailbox.problem);
    // Below the cooldown, so the previous OTP email to the same address can never pass as new.
    return { kind: 'imap', mailbox, timeoutMs, clockSlackMs: Math.min(5000, Math.floor(cooldownMs / 4)) };
  }
  if (target !== 'remote') return { kind: 'fixed', otp: EMULATOR_DEFAULT_OTP };
  throw new ConfigError(
    'no OTP source for a remote target: set TRANSAK_OTP (fixed staging code), TRANSAK_OTP_COMMAND (prints the OTP) or TRANSAK_OTP_IMAP_URL (reads the test mailbox)',
  );
}

/** A comma-separated variable's entries, trimmed, empty ones dropped: how TRANSAK_EMAILS is read, wherever it is. */
export function listOf(raw: string): string[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function resolveEmails(env: Env, target: TargetKind): string[] | null {
  const raw = read(env, 'TRANSAK_EMAILS');
  if (raw === undefined) {
    if (target !== 'remote') return null;
    throw new ConfigError(
      'TRANSAK_EMAILS is unset: a remote target needs a comma-separated pool of test users, like TRANSAK_EMAILS=qa1@example.com,qa2@example.com',
    );
  }
  const emails = listOf(raw);
  const bad = emails.find((e) => !/^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(e));
  if (bad !== undefined || emails.length === 0) {
    throw new ConfigError(`TRANSAK_EMAILS holds "${bad ?? ''}", which is not an email address: list addresses separated by commas`);
  }
  if (new Set(emails.map((e) => e.toLowerCase())).size !== emails.length) {
    throw new ConfigError('TRANSAK_EMAILS lists an address twice: list each test user once');
  }
  return emails;
}

export function loadConfig(env: Env = process.env) {
  const { baseUrl, target } = resolveTarget(env);
  const apiKey = read(env, 'TRANSAK_API_KEY') ?? (target === 'remote' ? undefined : EMULATOR_DEFAULT_API_KEY);
  if (apiKey === undefined)
    throw new ConfigError('TRANSAK_API_KEY is unset: a remote target needs the partner API key of the staging partner account');
  if (/\s/.test(apiKey)) throw new ConfigError('TRANSAK_API_KEY contains white space: paste the key alone');
  const configuredIp = read(env, 'TRANSAK_USER_IP');
  // Transak pins a session to x-user-ip and wants the end user's real address: no default off loopback.
  if (configuredIp === undefined && target === 'remote') {
    throw new ConfigError(
      "TRANSAK_USER_IP is unset: a remote target needs the end user's real IP for x-user-ip (Transak pins sessions to it); set it like TRANSAK_USER_IP=203.0.113.7",
    );
  }
  const userIp = configuredIp ?? '127.0.0.1';
  if (isIP(userIp) === 0)
    throw new ConfigError(`TRANSAK_USER_IP="${userIp}" is not an IP address: set the end user's IP, like TRANSAK_USER_IP=203.0.113.7`);
  const sameUser = read(env, 'TRANSAK_SAME_USER_SESSIONS') ?? 'observe';
  if (sameUser !== 'observe' && sameUser !== 'survive' && sameUser !== 'revoked') {
    throw new ConfigError(`TRANSAK_SAME_USER_SESSIONS="${sameUser}" is not one of observe, survive, revoked`);
  }
  const otpCooldownMs = positiveInt(env, 'TRANSAK_OTP_COOLDOWN_MS', target === 'embedded-emulator' ? EMBEDDED_OTP_COOLDOWN_MS : 60_000, 0);
  return {
    baseUrl,
    target,
    apiKey,
    /** Configured test users, or null when addresses are generated (emulator and loopback targets). */
    emails: resolveEmails(env, target),
    otp: resolveOtp(env, target, otpCooldownMs),
    userIp,
    sloMs: positiveInt(env, 'LOGOUT_SLO_MS', DEFAULT_LOGOUT_SLO_MS),
    latencySamples: positiveInt(env, 'LOGOUT_SLO_SAMPLES', 5, 5),
    otpCooldownMs,
    requestTimeoutMs: positiveInt(env, 'TRANSAK_REQUEST_TIMEOUT_MS', 15_000),
    /** How long one call may wait out 429s in all before the target counts as unusable. */
    rateLimitMaxWaitMs: positiveInt(env, 'TRANSAK_RATE_LIMIT_MAX_WAIT_MS', 180_000, 0),
    sameUserSessions: sameUser as SameUserPolicy,
    /**
     * How long after a logout rule 2 looks at the token for the last time. Free where logins wait for
     * OTPs anyway: up to the cooldown on a remote gateway, seconds on the emulator.
     */
    r2LateLookMs: positiveInt(env, 'TRANSAK_R2_LATE_LOOK_MS', target === 'remote' ? otpCooldownMs : R2_LATE_LOOK_LOCAL_MS, 3000),
  };
}

/** Whether the run must judge a remote gateway; playwright.config.ts then starts no emulator. */
export function remoteRequired(env: Env = process.env): boolean {
  return read(env, REQUIRE_REMOTE_VARIABLE) === '1';
}
