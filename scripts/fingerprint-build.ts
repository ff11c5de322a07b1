/**
 * The behaviour fingerprint of one run: what the gateway answered to each kind of request (status,
 * errorCode, error-body shape, content type), the policies the run observed, and the latency.
 *
 * Only values that cannot carry a secret are kept: numbers, media types, the names of documented
 * shapes and schemas, and fixed policy words. An errorCode that is not a short code, or an
 * annotation that says something unexpected, is recorded as such, never copied.
 */
import type { SchemaValidator } from '../helpers/schema-validator';
import { percentile } from '../helpers/verdicts';
import type { Annotation, Observation, RenderedExchange } from './fingerprint-read';
import { classify } from './fingerprint-kinds';

export const FINGERPRINT_VERSION = 1;
export const NOT_OBSERVED = 'not observed';

export interface Answer {
  operation: string;
  kind: string;
  /** Each set sorted, as strings: a kind answered two ways in one run shows both. */
  status: string[];
  errorCode: string[];
  shape: string[];
  contentType: string[];
  count: number;
}

export interface LatencyFigure {
  p50Ms: number;
  p95Ms: number;
  count: number;
}

export interface Policies {
  sameUserSessions: string;
  sessionsPerUser: string;
  rateLimiting: string;
  tokenLifetime: string;
}

export interface Fingerprint {
  version: number;
  recordedAt: string;
  /** The target's host name (helpers/report-environment.ts), so a comparison across targets is flagged. */
  target: string;
  answers: Record<string, Answer>;
  policies: Policies;
  latency: { logout: LatencyFigure | null; operations: Record<string, LatencyFigure> };
}

export function answerKey(operation: string, kind: string): string {
  return `${operation}, ${kind}`;
}

function header(ex: RenderedExchange, name: string): string | undefined {
  return Object.entries(ex.response.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** The media type only (parameters dropped), or a word saying why there is none to show. */
export function mediaType(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return 'none';
  const media = value.split(';')[0].trim().toLowerCase();
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(media) ? media : 'unparsable';
}

const CODE = /^[A-Za-z0-9_.-]{1,24}$/;

function errorOf(body: unknown): Record<string, unknown> | undefined {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  return error !== null && typeof error === 'object' && !Array.isArray(error) ? (error as Record<string, unknown>) : undefined;
}

export function errorCodeOf(body: unknown): string {
  const code = errorOf(body)?.errorCode;
  if (code === undefined || code === null) return 'none';
  return (typeof code === 'number' || typeof code === 'string') && CODE.test(String(code)) ? String(code) : 'present, not a code';
}

/**
 * The documented shape an answer's body matched (openapi/NOTES.md, "Error bodies"): the per-endpoint
 * error `{error:{statusCode,name,message}}`, the error-codes page's `{error:{statusCode,message,
 * errorCode}}`, both at once, or a 2xx body's documented schema; "none" when it matched nothing.
 */
export function shapeOf(ex: RenderedExchange, operationId: string | undefined, validator: SchemaValidator): string {
  const { status, body } = ex.response;
  if (status >= 200 && status < 300) {
    if (operationId === undefined || !validator.documentedStatuses(operationId).includes(String(status))) return 'no documented schema';
    return validator.problems(operationId, status, body).length === 0 ? `${operationId}.${status} schema` : 'none';
  }
  const error = errorOf(body);
  if (!error || !Number.isInteger(error.statusCode) || typeof error.message !== 'string') return 'none';
  const perEndpoint = typeof error.name === 'string';
  const errorCodes = error.errorCode !== undefined && error.errorCode !== null;
  if (perEndpoint && errorCodes) return 'per-endpoint + errorCode {statusCode,name,message,errorCode}';
  if (perEndpoint) return 'per-endpoint {statusCode,name,message}';
  if (errorCodes) return 'error-codes {statusCode,message,errorCode}';
  return 'bare {statusCode,message}';
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

function figure(values: number[]): LatencyFigure | null {
  if (values.length === 0) return null;
  return { p50Ms: Math.round(percentile(values, 50)), p95Ms: Math.round(percentile(values, 95)), count: values.length };
}

/** The first annotation whose type matches, reduced to one of `words`; else "not observed". */
function policyFrom(annotations: readonly Annotation[], type: RegExp, words: ReadonlyArray<[RegExp, string]>): string {
  const found = annotations.filter((a) => type.test(a.type));
  if (found.length === 0) return NOT_OBSERVED;
  const values = found.map((a) => words.find(([pattern]) => pattern.test(a.description))?.[1] ?? 'observed, unrecognised wording');
  return sorted(values).join(' and ');
}

function tokenLifetime(observations: readonly Observation[], annotations: readonly Annotation[]): string {
  const ttls = observations
    .filter((o) => classify(o).operationId === 'verify-user-otp' && o.exchange.response.status === 200)
    .map((o) => (o.exchange.response.body as { data?: { ttl?: unknown } } | undefined)?.data?.ttl)
    .filter((ttl): ttl is number => typeof ttl === 'number' && Number.isFinite(ttl));
  if (ttls.length > 0) return sorted(ttls.map((ttl) => `${ttl} s`)).join(' and ');
  return policyFrom(annotations, /token (lifetime|ttl)/i, [[/\d+/, 'announced']]);
}

function rateLimiting(observations: readonly Observation[], annotations: readonly Annotation[]): string {
  if (observations.some((o) => o.exchange.response.status === 429)) return 'met (429)';
  const annotated = policyFrom(annotations, /rate.?limit/i, [
    [/not met|none|no 429/i, 'not met'],
    [/429|met|limited/i, 'met (429)'],
  ]);
  if (annotated !== NOT_OBSERVED) return annotated;
  return observations.length > 0 ? 'not met' : NOT_OBSERVED;
}

export function buildFingerprint(
  observations: readonly Observation[],
  annotations: readonly Annotation[],
  validator: SchemaValidator,
  target: string,
  now = new Date(),
): Fingerprint {
  const answers: Record<string, Answer> = {};
  const byOperation = new Map<string, number[]>();
  const logouts: number[] = [];
  for (const obs of observations) {
    const { operationId, operation, kind } = classify(obs);
    const ex = obs.exchange;
    if (operationId !== undefined) byOperation.set(operation, [...(byOperation.get(operation) ?? []), ex.timing.ms]);
    if (operationId === 'logout-user' && ex.response.status >= 200 && ex.response.status < 300) logouts.push(ex.timing.ms);
    if (kind === undefined) continue;
    const key = answerKey(operation, kind);
    const answer = (answers[key] ??= { operation, kind, status: [], errorCode: [], shape: [], contentType: [], count: 0 });
    const type = header(ex, 'content-type');
    answer.status = sorted([...answer.status, String(ex.response.status)]);
    answer.errorCode = sorted([...answer.errorCode, errorCodeOf(ex.response.body)]);
    answer.shape = sorted([...answer.shape, shapeOf(ex, operationId, validator)]);
    answer.contentType = sorted([...answer.contentType, mediaType(type)]);
    answer.count++;
  }
  const operations = Object.fromEntries(
    [...byOperation.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([op, values]) => [op, figure(values)!]),
  );
  return {
    version: FINGERPRINT_VERSION,
    recordedAt: now.toISOString(),
    target,
    answers: Object.fromEntries(Object.entries(answers).sort(([a], [b]) => a.localeCompare(b))),
    policies: {
      sameUserSessions: policyFrom(annotations, /same.user sessions/i, [
        [/surviv/i, 'survive'],
        [/revoked/i, 'revoked'],
      ]),
      sessionsPerUser: policyFrom(annotations, /sessions? per user|session limit|concurrent sessions/i, [
        [/\b(one|single|1)\b/i, 'one'],
        [/\b(several|many|multiple)\b|\b[2-9]\b/i, 'several'],
      ]),
      rateLimiting: rateLimiting(observations, annotations),
      tokenLifetime: tokenLifetime(observations, annotations),
    },
    latency: { logout: figure(logouts), operations },
  };
}
