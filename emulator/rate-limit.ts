import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from './context';
import { EmulatorError } from './errors';

/**
 * The rate-limit policy: every Kth request of one caller (x-api-key) is answered 429 before its body is
 * read, so it was not processed. Counting, not timing, puts the 429s at the same calls on any machine.
 * Installed always and read per request, so a fault mode can adopt the policy after the build.
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
    throw new EmulatorError(429, 9006, 'Too many requests; slow down and try again', headers);
  });
}
