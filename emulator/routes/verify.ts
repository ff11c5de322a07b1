import type { FastifyInstance } from 'fastify';
import { assertApiKey, requirePartner } from '../auth';
import type { EmulatorContext } from '../context';
import { verifyBody, okSchema, type VerifyBody } from '../schemas';
import { normalizeEmail } from './login';

export const VERIFY_PATH = '/api/v2/auth/verify';

/** Verify User OTP: trades the state token and its OTP for an access token, once. */
export function verifyRoute(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post<{ Body: VerifyBody }>(
    VERIFY_PATH,
    { onRequest: requirePartner(ctx), schema: { body: verifyBody, response: { 200: okSchema('verify-user-otp') } } },
    async (request) => {
      const { apiKey, otp, stateToken } = request.body;
      assertApiKey(apiKey, ctx);
      const email = normalizeEmail(request.body.email);
      ctx.otps.verify(email, stateToken, otp);
      const { token, claims } = await ctx.tokens.issue(email);
      await ctx.sessions.begin(claims);
      ctx.options.onSecretIssued?.(token);
      // ttl is the token's own lifetime, so a client can plan a new login before it runs out.
      return { data: { accessToken: token, ttl: claims.exp - claims.iat, created: new Date(ctx.clock()).toISOString() } };
    },
  );
}
