import type { FastifyPluginAsync } from 'fastify';
import { requirePartner, requireToken } from '../auth';
import type { EmulatorContext } from '../context';
import { refreshResponse } from '../schemas';

/**
 * Refresh User Access Token: a new token for the same user. The old one stays valid (no
 * rotation); a logged-out one must not be refreshable, or logout would be undone.
 */
export function refreshRoute(ctx: EmulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/api/v2/auth/refresh',
      { onRequest: requirePartner(ctx), schema: { response: { 200: refreshResponse } } },
      async (request) => {
        const { flags } = ctx;
        const { claims } = await requireToken(request, ctx, flags.refreshChecksRevocation, flags.refreshCrashesWhenRevoked);
        const fresh = await ctx.tokens.issue(claims.sub);
        ctx.options.onSecretIssued?.(fresh.token);
        ctx.issued.record(fresh.claims);
        return { data: { accessToken: fresh.token } };
      },
    );
  };
}
