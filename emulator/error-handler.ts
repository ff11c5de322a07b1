import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from './context';
import { ERR_NOT_FOUND, ERR_PAYLOAD_TOO_LARGE, ERR_VALIDATION, ERR_INTERNAL, EmulatorError, errorBody } from './errors';
import { LOGOUT_PATH } from './routes/logout';
import { sendJson } from './send';

/** The one place errors become answers: never with request headers, and a 500's stack goes to the log, never the client. */
export function installErrorHandling(app: FastifyInstance, ctx: EmulatorContext): void {
  app.setErrorHandler<unknown>((error, request, reply) => {
    const known = asEmulatorError(error);
    if (known) return sendError(request, reply, known, ctx);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, ERR_INTERNAL(), ctx);
  });

  app.setNotFoundHandler((request, reply) => sendError(request, reply, ERR_NOT_FOUND(), ctx));
}

/** Fastify's own client errors (bad JSON, schema validation, body too large) in the emulator's shape. */
function asEmulatorError(error: unknown): EmulatorError | undefined {
  if (error instanceof EmulatorError) return error;
  if (!(error instanceof Error)) return undefined;
  const { statusCode, validation } = error as Error & { statusCode?: unknown; validation?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  if (validation !== undefined) return ERR_VALIDATION(error.message);
  if (statusCode === 413) return ERR_PAYLOAD_TOO_LARGE();
  // Parser messages may quote the body, which can hold the API key or an OTP: don't repeat them.
  if (statusCode === 400) return ERR_VALIDATION('Request body could not be parsed');
  return new EmulatorError(statusCode, 9000, STATUS_CODES[statusCode] ?? 'Client error');
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: EmulatorError, ctx: EmulatorContext): FastifyReply {
  const name = namedHere(request, error.statusCode, ctx) ? error.name : undefined;
  reply.headers(error.headers);
  return sendJson(reply, error.statusCode, errorBody(error.statusCode, name, error.message, error.errorCode));
}

/** Whether the body carries `name`: always in the reference profile, else only where logout's contract requires it (400, 500). */
function namedHere(request: FastifyRequest, status: number, ctx: EmulatorContext): boolean {
  if (ctx.options.profile.errorShape === 'both') return true;
  return request.routeOptions.url === LOGOUT_PATH && request.method === 'POST' && (status === 400 || status === 500);
}
