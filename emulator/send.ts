import type { FastifyReply } from 'fastify';

/** Serialized here, not by the route's response schema: error and fault bodies go out exactly as built, even under a 200. */
export function sendJson(reply: FastifyReply, statusCode: number, body: unknown): FastifyReply {
  return reply.code(statusCode).type('application/json; charset=utf-8').send(JSON.stringify(body));
}
