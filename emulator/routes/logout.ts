import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { checkToken, requirePartner, tokenRejection } from '../auth';
import type { EmulatorContext } from '../context';
import { ERR_METHOD_NOT_ALLOWED, type TokenRejectionReason } from '../errors';
import type { FaultFlags } from '../faults';
import { logoutResponse } from '../schemas';
import { JSON_CONTENT_TYPE, sendJson } from '../send';
import { endSession } from '../sessions';

export const LOGOUT_PATH = '/api/v1/auth/logout';
export const LOGOUT_MESSAGE = 'User logged out successfully';

const NON_POST_METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const WRITE_METHODS: readonly HTTPMethods[] = ['PUT', 'PATCH', 'DELETE'];

/** Logout User: the endpoint under test. Only POST logs out; every other method is a 405. */
export function logoutRoutes(ctx: EmulatorContext): FastifyPluginAsync {
  return async (app) => {
    const logoutMethods: HTTPMethods[] = ctx.flags.otherMethodsLogOut ? ['POST', ...WRITE_METHODS] : ['POST'];

    app.route({
      method: logoutMethods,
      url: LOGOUT_PATH,
      onRequest: requirePartner(ctx),
      schema: { response: { 200: logoutResponse } },
      handler: (request, reply) => logout(request, reply, ctx),
    });

    app.route({
      method: NON_POST_METHODS.filter((m) => !logoutMethods.includes(m)),
      url: LOGOUT_PATH,
      exposeHeadRoute: false,
      handler: async (request) => {
        if (request.method === 'GET' && ctx.flags.getOnLogoutRevokes) {
          const check = await checkToken(request, ctx, true);
          if (check.ok) await endSession(check.claims, ctx);
        }
        throw ERR_METHOD_NOT_ALLOWED();
      },
    });
  };
}

async function logout(request: FastifyRequest, reply: FastifyReply, ctx: EmulatorContext): Promise<unknown> {
  const { flags } = ctx;
  const check = await checkToken(request, ctx, flags.logoutChecksRevocation);
  if (!check.ok) {
    if (acceptedAnyway(check.reason, flags)) return answer(reply, flags, check.sent ?? '');
    // Imitates a logout that deletes the session row and crashes when it is already gone.
    if (check.reason === 'revoked' && flags.logoutReplayCrashes) throw new Error('session not found for token');
    throw tokenRejection(check, ctx, 'logout');
  }
  const bearerWithoutRevoking = !flags.bearerLogoutRevokes && /^bearer\s+/i.test(request.headers.authorization ?? '');
  if (!bearerWithoutRevoking) await endSession(check.claims, ctx);
  if (flags.logoutDelayMs > 0) await sleep(flags.logoutDelayMs);
  return answer(reply, flags, check.token);
}

/** Fault modes that let logout answer 200 without a usable token (revoking nothing). */
function acceptedAnyway(reason: TokenRejectionReason, flags: Readonly<FaultFlags>): boolean {
  return (
    (reason === 'missing' && flags.logoutAcceptsMissingHeader) ||
    (reason === 'empty' && flags.logoutAcceptsEmptyHeader) ||
    (reason === 'malformed' && flags.logoutAcceptsMalformed)
  );
}

function answer(reply: FastifyReply, flags: Readonly<FaultFlags>, token: string): unknown {
  const documented =
    flags.logoutStatus === 200 &&
    flags.logoutBody === 'documented' &&
    flags.logoutContentType === null &&
    !flags.echoTokenInLogoutBody;
  if (documented) return { data: { message: LOGOUT_MESSAGE } };

  // Fault modes: built and sent as-is, past the response schema that would repair them.
  const contentType = flags.logoutContentType ?? JSON_CONTENT_TYPE;
  switch (flags.logoutBody) {
    case 'empty':
      return reply.code(flags.logoutStatus).send();
    case 'without-data':
      return sendJson(reply, flags.logoutStatus, { message: LOGOUT_MESSAGE }, contentType);
    case 'message-not-string':
      return sendJson(reply, flags.logoutStatus, { data: { message: 123 } }, contentType);
    case 'documented': {
      const data = flags.echoTokenInLogoutBody ? { message: LOGOUT_MESSAGE, token } : { message: LOGOUT_MESSAGE };
      return sendJson(reply, flags.logoutStatus, { data }, contentType);
    }
  }
}
