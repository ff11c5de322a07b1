/**
 * A typed client for the endpoints the suite touches, over Playwright's APIRequestContext. Every
 * call carries x-api-key and x-user-ip; the user token goes bare in `authorization` (no Bearer).
 * Every exchange is handed to the log, which attaches it redacted.
 */
import { test, type APIRequestContext, type APIResponse, type TestInfo } from '@playwright/test';
import type { SuiteConfig } from './config';
import type { Exchange } from './exchange';
import { parseJson } from './exchange';
import type { ExchangeLog } from './exchange-log';
import { POLICY_NOTES } from './policy-notes';
import { OPERATIONS, type LogoutBodyShape, type OperationId, type TokenOperation } from './operations';

/** The value of the authorization header: a string (possibly empty), or omitted altogether. */
export type Authorization = string | { omit: true };
export const NO_AUTHORIZATION: Authorization = { omit: true };

export class TargetError extends Error {
  override name = 'TargetError';
}

export interface TransakApi {
  sendOtp(email: string): Promise<Exchange>;
  verifyOtp(input: { email: string; otp: string; stateToken: string }): Promise<Exchange>;
  userDetails(auth: Authorization): Promise<Exchange>;
  /** A logout, bare or with one of the bodies real clients send. */
  logout(auth: Authorization, shape?: LogoutBodyShape): Promise<Exchange>;
  /** Any documented token operation, by operationId. */
  call(operation: TokenOperation, auth: Authorization): Promise<Exchange>;
  /** A request outside the documented operations (another method on the logout path). */
  raw(method: string, path: string, auth: Authorization): Promise<Exchange>;
}

interface RequestSpec {
  operationId: string | undefined;
  method: string;
  path: string;
  auth?: Authorization;
  params?: Record<string, string>;
  body?: Record<string, string>;
}

/** A documented operation's request, built from its row in the operations table. */
function specFor(operation: OperationId, apiKey: string, auth?: Authorization, body?: Record<string, string>): RequestSpec {
  const { method, path } = OPERATIONS[operation];
  const apiKeyIn = 'apiKeyIn' in OPERATIONS[operation] ? OPERATIONS[operation].apiKeyIn : undefined;
  return {
    operationId: operation,
    method,
    path,
    auth,
    params: apiKeyIn === 'query' ? { apiKey } : undefined,
    body: apiKeyIn === 'body' ? { apiKey, ...body } : body,
  };
}

export function createTransakApi(
  request: APIRequestContext,
  config: SuiteConfig,
  log: Pick<ExchangeLog, 'redactor' | 'record'>,
): TransakApi {
  const baseHeaders = { 'x-api-key': config.apiKey, 'x-user-ip': config.userIp };
  log.redactor.add(config.apiKey);

  async function send(spec: RequestSpec): Promise<Exchange> {
    const headers: Record<string, string> = { ...baseHeaders };
    if (typeof spec.auth === 'string') {
      headers.authorization = spec.auth;
      // Whatever credential a test sends (a live token, a forged one) is a secret from then on.
      log.redactor.add(spec.auth.replace(/^Bearer\s+/i, ''));
    }
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    const url = `${config.baseUrl}${spec.path}`;
    let started = performance.now();
    let response: APIResponse | undefined;
    const paced = { count: 0, waitedMs: 0 };
    for (let attempt = 1; response === undefined; attempt++) {
      started = performance.now();
      try {
        response = await request.fetch(url, {
          method: spec.method,
          headers,
          params: spec.params,
          data: spec.body,
          timeout: config.requestTimeoutMs,
          failOnStatusCode: false,
          maxRedirects: 0,
        });
      } catch (error) {
        // A connection reset with no answer at all is the network's doing, not the server's answer:
        // there is nothing to judge, so that one request is sent once more. This cannot turn a wrong
        // answer into a pass: an HTTP answer of any status is never retried (it is what the checks judge), a timeout is never
        // retried (a hang is the target's fault), a second reset fails as "target unreachable", and
        // if the server had acted before the reset (say, logged the token out), the retry's answer
        // shows it (a 401 to a logout that must answer 200) and the test fails. Every retry is
        // written into the report as an annotation.
        if (attempt === 1 && isConnectionReset(error)) {
          noteRetry(`${spec.method} ${spec.path}: connection reset before any answer; sent once more`);
          continue;
        }
        throw transportError(error, spec, config);
      }
      if (response.status() === 429) {
        // Paced, not judged: a 429 was not processed, so the same request is sent again after the
        // wait the gateway asked for (or a bounded backoff). Only the attempt that answered counts.
        await log.record(exchangeOf(spec, url, headers, response, await response.text(), started));
        const wait = rateLimitWait(response.headers()['retry-after'], ++paced.count, Date.now());
        if (paced.waitedMs + wait > config.rateLimitMaxWaitMs) {
          throw new TargetError(
            `rate-limited: ${spec.method} ${new URL(config.baseUrl).host}${spec.path} still answered 429 after ${paced.count} attempts and ${Math.round(paced.waitedMs / 1000)} s of waiting; the gateway paces this run harder than it can wait: run fewer workers, or raise TRANSAK_RATE_LIMIT_MAX_WAIT_MS`,
          );
        }
        paced.waitedMs += wait;
        notePacing(spec, wait, response.headers()['retry-after'] !== undefined);
        await new Promise((resolve) => setTimeout(resolve, wait));
        response = undefined;
      }
    }
    const ex = exchangeOf(spec, url, headers, response, await response.text(), started);
    await log.record(ex);
    return ex;
  }

  function exchangeOf(
    spec: RequestSpec,
    url: string,
    headers: Record<string, string>,
    response: APIResponse,
    bodyText: string,
    started: number,
  ): Exchange {
    const query = spec.params ? `?${new URLSearchParams(spec.params).toString()}` : '';
    return {
      operationId: spec.operationId,
      method: spec.method,
      path: spec.path,
      url: `${url}${query}`,
      requestHeaders: headers,
      requestBody: spec.body,
      status: response.status(),
      statusText: response.statusText(),
      responseHeaders: response.headers(),
      bodyText,
      json: parseJson(bodyText),
      ms: performance.now() - started,
    };
  }

  const api: TransakApi = {
    sendOtp: (email) => send(specFor('send-user-otp', config.apiKey, undefined, { email })),
    verifyOtp: ({ email, otp, stateToken }) => {
      log.redactor.add(otp);
      log.redactor.add(stateToken);
      return send(specFor('verify-user-otp', config.apiKey, undefined, { email, otp, stateToken }));
    },
    userDetails: (auth) => api.call('get-user-details', auth),
    logout: (auth, shape) => send(specFor('logout-user', config.apiKey, auth, shape?.body(config.apiKey))),
    call: (operation, auth) => send(specFor(operation, config.apiKey, auth)),
    raw: (method, path, auth) => send({ operationId: undefined, method, path, auth }),
  };
  return api;
}

/** A connection closed before any byte of an answer: "socket hang up (ECONNRESET)", EPIPE. */
export function isConnectionReset(error: unknown): boolean {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return /\b(ECONNRESET|EPIPE)\b|socket hang up/i.test(message) && !/timed? ?out|Timeout \d+ms exceeded/i.test(message);
}

/** Longest single wait for a 429 without Retry-After; the backoff doubles from 1 s up to it. */
const MAX_BACKOFF_MS = 16_000;

/**
 * How long to wait after the n-th 429 of one call: what Retry-After asks (seconds, or an HTTP date),
 * else an exponential backoff with jitter, so workers paced together do not come back together.
 */
export function rateLimitWait(retryAfter: string | undefined, n: number, now: number, random = Math.random): number {
  const value = retryAfter?.trim();
  if (value !== undefined && value !== '') {
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const at = Date.parse(value);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (n - 1)) + Math.floor(random() * 250);
}

/** The test's budget grows by every wait the gateway imposes, and the report counts the 429s. */
function notePacing(spec: RequestSpec, waitMs: number, retryAfter: boolean): void {
  const info = currentTest();
  if (info === undefined) {
    console.log(
      `[rate limit] ${spec.method} ${spec.path} answered 429; waiting ${waitMs} ms${retryAfter ? ' (Retry-After)' : ' (backoff)'}`,
    );
    return;
  }
  info.setTimeout(info.timeout + waitMs);
  const tally = pacingOf.get(info) ?? { count: 0, waitedMs: 0, annotation: { type: POLICY_NOTES.rateLimiting, description: '' } };
  if (!pacingOf.has(info)) {
    pacingOf.set(info, tally);
    info.annotations.push(tally.annotation);
  }
  tally.count += 1;
  tally.waitedMs += waitMs;
  tally.annotation.description = `${tally.count} answer(s) 429, ${(tally.waitedMs / 1000).toFixed(1)} s waited (last: ${retryAfter ? 'Retry-After honoured' : 'no Retry-After, backoff'})`;
}

const pacingOf = new WeakMap<TestInfo, { count: number; waitedMs: number; annotation: { type: string; description: string } }>();

function currentTest(): TestInfo | undefined {
  try {
    return test.info();
  } catch {
    return undefined;
  }
}

/** Outside a test (a script) there is nothing to annotate. */
const noteRetry = (description: string): void => void currentTest()?.annotations.push({ type: 'transport retry', description });

/** Turns a transport failure into one line that says what happened and what to check. */
function transportError(error: unknown, spec: RequestSpec, config: SuiteConfig): TargetError {
  const message = error instanceof Error ? error.message : String(error);
  const where = `${spec.method} ${new URL(config.baseUrl).host}${spec.path}`;
  if (/timed? ?out|Timeout \d+ms exceeded/i.test(message)) {
    return new TargetError(
      `no answer in ${config.requestTimeoutMs} ms from ${where}: the target hangs; raise TRANSAK_REQUEST_TIMEOUT_MS only if it is known to be that slow`,
    );
  }
  const code = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ETIMEDOUT|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+)\b/.exec(message)?.[1];
  return new TargetError(
    `target unreachable: ${where} failed${code ? ` with ${code}` : ''}; check TRANSAK_BASE_URL and the network path to it`,
  );
}
