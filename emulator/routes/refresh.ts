import type { FastifyInstance } from 'fastify';
import { assertApiKey, requirePartner, requireToken } from '../auth';
import type { EmulatorContext } from '../context';
import { okSchema } from '../schemas';
import type { AccessClaims } from '../tokens';

export const REFRESH_PATH = '/api/v2/auth/refresh';

/**
 * Refresh User Access Token: a new token for the same user; the old one stays valid (no rotation), and
 * a logged-out one is not refreshable, or logout would be undone. The query's key counts only under the
 * refresh-needs-api-key-query policy.
 */
export function refreshRoute(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get<{ Querystring: { apiKey?: unknown } }>(
    REFRESH_PATH,
    { onRequest: requirePartner(ctx), schema: { response: { 200: okSchema('refresh-user-access-token') } } },
    async (request) => {
      if (ctx.policies.refreshNeedsApiKeyQuery) assertApiKey(request.query.apiKey, ctx);
      return refreshed(await requireToken(request, ctx), ctx);
    },
  );
}

/** A fresh token for the verified token's user. */
export async function refreshed(claims: AccessClaims, ctx: EmulatorContext): Promise<{ data: { accessToken: string } }> {
  const fresh = await ctx.tokens.issue(claims.sub);
  ctx.sessions.track(fresh.claims);
  ctx.options.onSecretIssued?.(fresh.token);
  return { data: { accessToken: fresh.token } };
}
