import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from './context';
import { EmulatorError } from './errors';

export const RATE_LIMITED_ERROR_CODE = 9006;
export const RATE_LIMITED_MESSAGE = 'Too many requests; slow down and try again';

/**
 * The rate-limit policy (policies.ts): every Kth request of one caller (one x-api-key value) is
 * answered 429, before its body is read or any route runs, so a refused call was not processed:
 * no OTP sent, no OTP attempt counted, nobody logged out. Counting, not timing, keeps the 429s
 * where a test expects them on any machine. Installed always, read per request, so a fault mode
 * can adopt the policy after the build.
 */
export function installRateLimit(app: FastifyInstance, ctx: EmulatorContext): void {
  const calls = new Map<string, number>();
  app.addHook('onRequest', async (request) => {
    const limit = ctx.policies.rateLimit;
    if (limit === undefined) return;
    const caller = String(request.headers['x-api-key'] ?? '');
    const n = (calls.get(caller) ?? 0) + 1;
    calls.set(caller, n);
    if (n % limit.every !== 0) return;
    const headers: Record<string, string> = limit.retryAfterSeconds === undefined ? {} : { 'retry-after': String(limit.retryAfterSeconds) };
    throw new EmulatorError(429, RATE_LIMITED_ERROR_CODE, RATE_LIMITED_MESSAGE, headers);
  });
}
