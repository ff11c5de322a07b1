import type { FastifyPluginAsync } from 'fastify';
import { assertApiKey, requirePartner } from '../auth';
import type { EmulatorContext } from '../context';
import { verifyBody, verifyResponse, type VerifyBody } from '../schemas';
import { TOKEN_TTL_SECONDS } from '../tokens';
import { normalizeEmail } from './login';

export const VERIFY_PATH = '/api/v2/auth/verify';

/** Verify User OTP: trades the state token and its OTP for an access token, once. */
export function verifyRoute(ctx: EmulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: VerifyBody }>(
      VERIFY_PATH,
      { onRequest: requirePartner(ctx), schema: { body: verifyBody, response: { 200: verifyResponse } } },
      async (request) => {
        const { apiKey, otp, stateToken } = request.body;
        assertApiKey(apiKey, ctx);
        const email = normalizeEmail(request.body.email);
        ctx.otps.verify(email, stateToken, otp);
        const { token } = await ctx.tokens.issue(email);
        ctx.options.onSecretIssued?.(token);
        return { data: { accessToken: token, ttl: TOKEN_TTL_SECONDS, created: new Date(ctx.clock()).toISOString() } };
      },
    );
  };
}
