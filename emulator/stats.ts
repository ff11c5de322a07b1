// Send and Verify User OTP calls per address (EMULATOR_STATS_FILE), so a self-test can count what a run
// spent and what was refused (1019 too soon, 1007 wrong OTP…). Replaced whole (write, rename): never read half-written.
import { renameSync, writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { LOGIN_PATH, normalizeEmail } from './routes/login';
import { VERIFY_PATH } from './routes/verify';

/** operation → address → what happened. */
export type OtpStats = Record<'send-user-otp' | 'verify-user-otp', Record<string, AddressStats>>;

/** `errorCodes`: how many calls were answered with each errorCode (absent: none was refused). */
export type AddressStats = { calls: number; errorCodes: Record<string, number> };

const OPERATIONS: Readonly<Record<string, keyof OtpStats>> = { [LOGIN_PATH]: 'send-user-otp', [VERIFY_PATH]: 'verify-user-otp' };

export function installStats(app: FastifyInstance, file: string): void {
  const stats: OtpStats = { 'send-user-otp': {}, 'verify-user-otp': {} };
  write(file, stats);
  app.addHook('onSend', async (request, reply, payload) => {
    const operation = OPERATIONS[request.routeOptions.url ?? ''];
    const email = (request.body as { email?: unknown } | undefined)?.email;
    // Counted once the body names an address; a call refused before that spent nothing.
    if (operation === undefined || typeof email !== 'string') return payload;
    const entry = (stats[operation][normalizeEmail(email)] ??= { calls: 0, errorCodes: {} });
    entry.calls += 1;
    const errorCode = reply.statusCode >= 400 ? errorCodeOf(payload) : undefined;
    if (errorCode !== undefined) entry.errorCodes[errorCode] = (entry.errorCodes[errorCode] ?? 0) + 1;
    write(file, stats);
    return payload;
  });
}

function errorCodeOf(payload: unknown): string | undefined {
  if (typeof payload !== 'string') return undefined;
  try {
    const code = (JSON.parse(payload) as { error?: { errorCode?: unknown } }).error?.errorCode;
    return code === undefined ? 'none' : String(code);
  } catch {
    return 'none';
  }
}

function write(file: string, stats: OtpStats): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(stats, null, 2)}\n`);
  renameSync(tmp, file);
}
