import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';

/**
 * The 'extra-fields-and-charset' mode: a gateway may add properties the schemas don't forbid and
 * spell the content type differently; the suite must still accept the answer.
 */
export function addExtraFields(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof payload !== 'string' || typeof type !== 'string' || !type.toLowerCase().includes('json')) return payload;
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      return payload;
    }
    if (!isObject(body)) return payload;
    const requestId = randomUUID();
    if (isObject(body.data)) body.data.requestId = requestId;
    if (isObject(body.error)) body.error.requestId = requestId;
    body.meta = { requestId, emulator: true, servedAt: new Date().toISOString() };
    reply.header('content-type', 'Application/JSON; Charset=UTF-8');
    return JSON.stringify(body);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
