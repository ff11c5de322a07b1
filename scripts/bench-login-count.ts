/**
 * Logins counted where they happen: the emulator, built in this process with the embedded
 * emulator's options, and a response hook that counts what its routes answered 200. The suite runs
 * against it through TRANSAK_BASE_URL (a loopback target, judged like the embedded one). Tokens are
 * told apart by their SHA-256, kept in memory only.
 */
import { createHash } from 'node:crypto';
import { buildApp } from '../emulator/app';
import { EMBEDDED_OTP_COOLDOWN_MS } from '../helpers/embedded-emulator';
import { OPERATIONS } from '../helpers/operations';

export async function countingEmulator() {
  const app = buildApp({ otpCooldownMs: EMBEDDED_OTP_COOLDOWN_MS });
  // 200s of Send User OTP (each spends an OTP of an address on staging) and of Verify User OTP (tokens
  // minted), and the distinct tokens a POST logout answered 200 for: what the run must destroy.
  const counted = { otpSends: 0, logins: 0, tokensDestroyed: 0 };
  const destroyed = new Set<string>();
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 200) return;
    const route = request.routeOptions.url;
    if (route === OPERATIONS['send-user-otp'].path) counted.otpSends += 1;
    else if (route === OPERATIONS['verify-user-otp'].path) counted.logins += 1;
    else if (route === OPERATIONS['logout-user'].path && request.method === 'POST') {
      destroyed.add(
        createHash('sha256')
          .update(request.headers.authorization ?? '')
          .digest('hex'),
      );
      counted.tokensDestroyed = destroyed.size;
    }
  });
  return {
    url: await app.listen({ host: '127.0.0.1', port: 0 }),
    count: () => ({ ...counted }),
    stop: () => app.close(),
  };
}

export type LoginCount = ReturnType<Awaited<ReturnType<typeof countingEmulator>>['count']>;
