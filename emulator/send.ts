import type { FastifyReply } from 'fastify';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Sends a body serialized here rather than by the route's response schema: error bodies and
 * fault-mode bodies must go out exactly as built, even under a 200 whose schema they don't fit.
 */
export function sendJson(reply: FastifyReply, statusCode: number, body: unknown, contentType = JSON_CONTENT_TYPE): FastifyReply {
  return reply.code(statusCode).type(contentType).send(JSON.stringify(body));
}
