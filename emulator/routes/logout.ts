import type { FastifyInstance } from 'fastify';
import { requirePartner, requireToken } from '../auth';
import type { EmulatorContext } from '../context';
import { ERR_METHOD_NOT_ALLOWED } from '../errors';
import { okSchema } from '../schemas';
import type { AccessClaims } from '../tokens';

export const LOGOUT_PATH = '/api/v1/auth/logout';
export const LOGOUT_MESSAGE = 'User logged out successfully';
/** The documented answer to a successful logout. */
export const LOGGED_OUT = Object.freeze({ data: Object.freeze({ message: LOGOUT_MESSAGE }) });

/** Logout User, under test: only POST logs out. A body is ignored: the contract has none; clients send none, `{}` or `{ apiKey }`. */
export function logoutRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post(LOGOUT_PATH, { onRequest: requirePartner(ctx), schema: { response: { 200: okSchema('logout-user') } } }, async (request) =>
    logOut(await requireToken(request, ctx), ctx),
  );

  app.route({
    method: ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: LOGOUT_PATH,
    exposeHeadRoute: false,
    handler: async () => {
      throw ERR_METHOD_NOT_ALLOWED();
    },
  });
}

/** Ends the verified token's session and says so. */
export async function logOut(claims: AccessClaims, ctx: EmulatorContext): Promise<typeof LOGGED_OUT> {
  await ctx.sessions.end(claims);
  return LOGGED_OUT;
}
