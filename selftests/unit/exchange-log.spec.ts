import { expect, test } from '../fixtures';
import type { Exchange } from '../../helpers/exchange';
import { createExchangeLog, redactedUrl, renderExchange } from '../../helpers/exchange-log';
import { createRedactor } from '../../helpers/redact';

const API_KEY = 'partner-api-key-0123456789';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxYUB4LmlvIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl';

const exchange: Exchange = {
  operationId: 'get-user-details',
  method: 'GET',
  path: '/api/v2/user/',
  url: `http://127.0.0.1:1/api/v2/user/?apiKey=${API_KEY}`,
  requestHeaders: { authorization: TOKEN, 'x-api-key': API_KEY, 'x-user-ip': '127.0.0.1' },
  requestBody: { apiKey: API_KEY, email: 'qa@x.io', otp: '482913', stateToken: 'st-abcdefgh' },
  status: 401,
  statusText: 'Unauthorized',
  responseHeaders: { 'content-type': 'application/json', 'x-echo': TOKEN },
  bodyText: '',
  json: { error: { statusCode: 401, message: `bad token ${TOKEN}` } },
  ms: 12.34,
};

test.describe('exchange attachments', () => {
  test('a rendered exchange holds method, URL, status, headers, body and timing, and no secret', () => {
    const rendered = renderExchange(exchange, createRedactor([API_KEY]));
    for (const secret of [API_KEY, TOKEN, '482913', 'st-abcdefgh']) expect(rendered).not.toContain(secret);
    const parsed = JSON.parse(rendered);
    expect(parsed.request.method).toBe('GET');
    expect(parsed.request.url).toBe('http://127.0.0.1:1/api/v2/user/?apiKey=[redacted]');
    expect(parsed.response.status).toBe(401);
    expect(parsed.response.body.error.message).toMatch(/^bad token eyJhbG…\[redacted, \d+ chars\]$/);
    expect(parsed.request.body.email).toBe('qa@x.io');
    expect(parsed.timing.ms).toBe(12.3);
  });

  test('query parameters that carry keys, tokens or OTPs are redacted in URLs', () => {
    expect(redactedUrl('https://h.example/p?apiKey=abc&otp=1234&page=2', createRedactor())).toBe(
      'https://h.example/p?apiKey=[redacted]&otp=[redacted]&page=2',
    );
  });

  test('each recorded exchange becomes one attachment named for the call and its status', async ({}, testInfo) => {
    const log = createExchangeLog(testInfo, createRedactor([API_KEY]));
    await log.record(exchange);
    expect(testInfo.attachments.map((a) => a.name)).toEqual(['GET /api/v2/user/ → 401 Unauthorized (12 ms)']);
    expect(String(testInfo.attachments[0].body)).not.toContain(TOKEN);
    expect(log.exchanges).toHaveLength(1);
  });
});
