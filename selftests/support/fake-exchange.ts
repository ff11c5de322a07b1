/** An Exchange as the API client would record it, for unit tests of the checks that read one. */
import type { Exchange } from '../../helpers/exchange';

/** Defaults to a 200 JSON logout; `body` (any JSON value) fills both bodyText and json. */
export function fakeExchange(overrides: Partial<Exchange> & { body?: unknown } = {}): Exchange {
  const { body, ...rest } = overrides;
  const bodyText = body === undefined ? (rest.bodyText ?? '') : JSON.stringify(body);
  return {
    operationId: 'logout-user',
    method: 'POST',
    path: '/api/v1/auth/logout',
    url: 'http://127.0.0.1:1/api/v1/auth/logout',
    requestHeaders: {},
    requestBody: undefined,
    status: 200,
    statusText: 'OK',
    responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
    json: body,
    ms: 3,
    ...rest,
    bodyText,
  };
}
