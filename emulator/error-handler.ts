import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from './context';
import {
  ERR_NOT_FOUND,
  ERR_PAYLOAD_TOO_LARGE,
  ERR_VALIDATION,
  EmulatorError,
  INTERNAL_ERROR_MESSAGE,
  LeakedCrash,
  errorBody,
} from './errors';
import type { FaultFlags } from './faults';
import { sendJson } from './send';

/**
 * The one place errors become answers. It never logs or returns request headers, and a 500 says
 * only "Internal Server Error": the stack goes to the log (when logging is on), never the client.
 */
export function installErrorHandling(app: FastifyInstance, ctx: EmulatorContext): void {
  app.setErrorHandler<unknown>((error, request, reply) => {
    if (error instanceof LeakedCrash) {
      return sendJson(reply, 500, {
        error: { statusCode: 500, name: error.name, message: error.message, stack: error.stack },
      });
    }
    const known = asEmulatorError(error);
    if (known) return sendError(request, reply, known, ctx.flags);
    request.log.error({ err: error }, 'unhandled error');
    return sendJson(reply, 500, errorBody(500, 'InternalServerError', INTERNAL_ERROR_MESSAGE));
  });

  app.setNotFoundHandler((request, reply) => sendError(request, reply, ERR_NOT_FOUND(), ctx.flags));
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

function sendError(request: FastifyRequest, reply: FastifyReply, error: EmulatorError, flags: Readonly<FaultFlags>): FastifyReply {
  const status = error.statusCode;
  const omitName = error.omitName || (flags.omitNameOn401And403 && (status === 401 || status === 403));
  const body = errorBody(status, omitName ? undefined : error.name, error.message, error.errorCode);
  reply.headers(error.headers);

  if (error.tokenRejection !== undefined && flags.rejectionNotJson) {
    return reply.code(status).type('text/plain; charset=utf-8').send('Unauthorized');
  }
  const httpStatus = error.tokenRejection === 'revoked' && flags.revokedAnsweredAs200 ? 200 : status;
  if (status !== 401) return sendJson(reply, httpStatus, body);

  if (flags.echoTokenInRejectionHeader && request.headers.authorization !== undefined) {
    reply.header('x-rejected-token', request.headers.authorization);
  }
  if (flags.unauthorizedBodyStatus !== null) body.error.statusCode = flags.unauthorizedBodyStatus;
  if (flags.unauthorizedBodyUnwrapped) {
    return sendJson(reply, httpStatus, { statusCode: body.error.statusCode, message: body.error.message });
  }
  return sendJson(reply, httpStatus, body);
}
