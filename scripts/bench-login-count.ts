/**
 * Logins counted where they happen: a response hook on the emulator's app counts what its routes
 * answered 200. Tokens are told apart by their SHA-256, kept in memory only.
 */
import { hash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { OPERATIONS } from '../helpers/operations';

/** Hooks the counter into `app` (before it is ready); the returned function reads the counts. */
export function loginCounter(app: FastifyInstance) {
  // Send User OTP answered 200 (each spends an OTP of an address on staging), Verify User OTP
  // answered 200 (tokens minted), and the distinct tokens a POST logout answered 200 for: what the
  // run must destroy.
  let [otpSends, logins] = [0, 0];
  const destroyed = new Set<string>();
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 200) return;
    const route = request.routeOptions.url;
    if (route === OPERATIONS['send-user-otp'].path) otpSends += 1;
    else if (route === OPERATIONS['verify-user-otp'].path) logins += 1;
    else if (route === OPERATIONS['logout-user'].path && request.method === 'POST')
      destroyed.add(hash('sha256', request.headers.authorization ?? ''));
  });
  return () => ({ otpSends, logins, tokensDestroyed: destroyed.size });
}

export type LoginCount = ReturnType<ReturnType<typeof loginCounter>>;
