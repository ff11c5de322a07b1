/**
 * The one retry the suite allows, proven on a bare HTTP server: a connection reset before any
 * answer is sent once more (and noted in the report); a second reset, a timeout and any HTTP answer
 * (a 500 included) are never retried. So the retry can absorb network noise but never turn a
 * server's wrong answer into a pass.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request, type APIRequestContext } from '@playwright/test';
import { expect, test } from '../fixtures';
import { loadConfig } from '../../helpers/config';
import { createExchangeLog } from '../../helpers/exchange-log';
import { createRedactor } from '../../helpers/redact';
import { createTransakApi, TargetError, type TransakApi } from '../../helpers/transak-api';

const BODIES = { 200: { data: { message: 'ok' } }, 500: { error: { statusCode: 500, name: 'InternalServerError', message: 'boom' } } };
type Behaviour = 'reset' | 'hang' | keyof typeof BODIES;

/** A server that treats its requests in the scripted order (the last behaviour repeats). */
async function scriptedServer(script: Behaviour[]) {
  let seen = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const behaviour = script[Math.min(seen, script.length - 1)];
    seen += 1;
    if (behaviour === 'reset') req.socket.destroy();
    else if (behaviour === 'hang') return;
    else res.writeHead(behaviour, { 'content-type': 'application/json' }).end(JSON.stringify(BODIES[behaviour]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test.describe('staging readiness: the transport retry', () => {
  let server: Awaited<ReturnType<typeof scriptedServer>>;
  let context: APIRequestContext;
  let api: TransakApi;

  async function against(script: Behaviour[]): Promise<void> {
    server = await scriptedServer(script);
    const config = loadConfig({ TRANSAK_BASE_URL: server.url, TRANSAK_REQUEST_TIMEOUT_MS: '700' });
    context = await request.newContext();
    api = createTransakApi(context, config, createExchangeLog(test.info(), createRedactor()));
  }

  test.afterEach(async () => {
    await context?.dispose();
    await server?.close();
  });

  test('a reset before any answer is sent once more, and the report says so', async () => {
    await against(['reset', 200]);
    const ex = await api.logout('some-token');
    expect(ex.status).toBe(200);
    expect(server.requests()).toBe(2);
    expect(test.info().annotations).toContainEqual({
      type: 'transport retry',
      description: 'POST /api/v1/auth/logout: connection reset before any answer; sent once more',
    });
  });

  test('a second reset is not retried again: "target unreachable … ECONNRESET"', async () => {
    await against(['reset']);
    const error = await api.logout('some-token').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as Error).message).toMatch(
      /^target unreachable: POST 127\.0\.0\.1:\d+\/api\/v1\/auth\/logout failed with ECONNRESET; check TRANSAK_BASE_URL and the network path to it$/,
    );
    expect(server.requests()).toBe(2);
  });

  test('an HTTP answer is final: a 500 is never retried', async () => {
    await against([500, 200]);
    expect((await api.logout('some-token')).status).toBe(500);
    expect(server.requests()).toBe(1);
    expect(test.info().annotations.filter((a) => a.type === 'transport retry')).toEqual([]);
  });

  test('a timeout is never retried: "no answer in N ms"', async () => {
    await against(['hang', 200]);
    const error = await api.logout('some-token').catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^no answer in 700 ms from POST 127\.0\.0\.1:\d+\/api\/v1\/auth\/logout: the target hangs/);
    expect(server.requests()).toBe(1);
  });
});
