/**
 * The one retry the suite allows, on a bare HTTP server: a connection reset before any answer is sent
 * once more (and noted); a second reset, a timeout and any HTTP answer (a 500 included) never are, so
 * the retry absorbs network noise but never turns a server's wrong answer into a pass.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test as base } from '../fixtures';
import { loadConfig } from '../../helpers/config';
import { createExchangeLog } from '../../helpers/exchange-log';
import { createRedactor } from '../../helpers/redact';
import { createTransakApi, TargetError, type TransakApi } from '../../helpers/transak-api';

const BODIES = { 200: { data: { message: 'ok' } }, 500: { error: { statusCode: 500, name: 'InternalServerError', message: 'boom' } } };
type Behaviour = 'reset' | 'hang' | keyof typeof BODIES;

const test = base.extend<{
  /** The suite's API client against a server that treats its requests in the scripted order (the last behaviour repeats). */
  against: (script: Behaviour[]) => { api: TransakApi; requests: () => number };
}>({
  against: async ({ playwright }, use, testInfo) => {
    let [seen, script]: [number, Behaviour[]] = [0, []];
    const server = createServer((req, res) => {
      const behaviour = script[Math.min(seen++, script.length - 1)];
      if (behaviour === 'reset') req.socket.destroy();
      else if (behaviour !== 'hang')
        res.writeHead(behaviour, { 'content-type': 'application/json' }).end(JSON.stringify(BODIES[behaviour]));
    });
    const context = await playwright.request.newContext();
    await once(server.listen(0, '127.0.0.1'), 'listening');
    const config = loadConfig({
      TRANSAK_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      TRANSAK_REQUEST_TIMEOUT_MS: '700',
    });
    await use((scripted) => {
      script = scripted;
      return { api: createTransakApi(context, config, createExchangeLog(testInfo, createRedactor())), requests: () => seen };
    });
    await context.dispose();
    server.closeAllConnections();
    await once(server.close(), 'close');
  },
});

test.describe('staging readiness: the transport retry', () => {
  test('a reset before any answer is sent once more, and the report says so', async ({ against }) => {
    const { api, requests } = against(['reset', 200]);
    expect((await api.logout('some-token')).status).toBe(200);
    expect(requests()).toBe(2);
    expect(test.info().annotations).toContainEqual({
      type: 'transport retry',
      description: 'POST /api/v1/auth/logout: connection reset before any answer; sent once more',
    });
  });

  test('a second reset is not retried again: "target unreachable … ECONNRESET"', async ({ against }) => {
    const { api, requests } = against(['reset']);
    const error = await api.logout('some-token').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as Error).message).toMatch(
      /^target unreachable: POST 127\.0\.0\.1:\d+\/api\/v1\/auth\/logout failed with ECONNRESET; check TRANSAK_BASE_URL and the network path to it$/,
    );
    expect(requests()).toBe(2);
  });

  test('an HTTP answer is final: a 500 is never retried', async ({ against }) => {
    const { api, requests } = against([500, 200]);
    expect((await api.logout('some-token')).status).toBe(500);
    expect(requests()).toBe(1);
    expect(test.info().annotations.filter((a) => a.type === 'transport retry')).toEqual([]);
  });

  test('a timeout is never retried: "no answer in N ms"', async ({ against }) => {
    const { api, requests } = against(['hang', 200]);
    const error = await api.logout('some-token').catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^no answer in 700 ms from POST 127\.0\.0\.1:\d+\/api\/v1\/auth\/logout: the target hangs/);
    expect(requests()).toBe(1);
  });
});
