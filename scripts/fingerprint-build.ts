/**
 * The behaviour fingerprint of one run (docs/reports.md), and how two runs' fingerprints differ.
 * Exchanges are read from allure-results/, where each sits in the step that made it (the JSON report
 * lists attachments flat). The kind of request is read from the step title (STEP_KINDS): an unknown
 * title counts for latency only, so a renamed step costs a kind for a night, never a wrong one.
 * Only values that cannot carry a secret are kept; only what both runs observed is compared.
 */
import { join } from 'node:path';
import type { TestResult } from 'allure-js-commons';
import { OPERATIONS, type OperationId } from '../helpers/operations';
import { ruleOfTags, type RuleId } from '../helpers/rules';
import type { SchemaValidator } from '../helpers/schema-validator';
import { percentile } from '../helpers/verdicts';
import { resultFiles } from './allure-report';
import { readJson, readReport, testsOf } from './json-report';

/** An exchange as helpers/exchange-log.ts renders it: already redacted. */
export type RenderedExchange = {
  request: { method: string; url: string };
  response: { status: number; headers?: Record<string, string>; body?: unknown };
  timing: { ms: number };
};
/** `steps`: the names of the steps around the exchange, outermost first. */
export type Observation = { rule: RuleId | undefined; steps: string[]; exchange: RenderedExchange };
export type Annotation = { type: string; description: string };

/** The facets of an answer, each a sorted set of strings (a kind answered two ways in one run shows both), and how a change names it. */
const ANSWER_FACETS = { status: '', errorCode: 'errorCode ', shape: 'body shape ', contentType: 'content type ' } as const;
type AnswerFacet = keyof typeof ANSWER_FACETS;
export type Answer = { operation: string; kind: string } & Record<AnswerFacet, string[]> & { count: number };
export type LatencyFigure = { p50Ms: number; p95Ms: number; count: number };
export const POLICY_LABELS = {
  sameUserSessions: 'same-user sessions after a logout',
  sessionsPerUser: 'sessions per user',
  rateLimiting: 'rate limiting',
  tokenLifetime: 'token lifetime (Verify User OTP ttl)',
};
export type Policies = Record<keyof typeof POLICY_LABELS, string>;
export type Fingerprint = ReturnType<typeof buildFingerprint>;

export const NOT_OBSERVED = 'not observed';

/** A result file or one of its steps as read from disk, where any field may be missing. */
type AllureStep = Partial<Pick<TestResult, 'name' | 'steps' | 'attachments' | 'labels'>>;

/** The title exchange-log.ts gives an exchange: `GET /api/v2/user/ → 401 Unauthorized (3 ms)`. */
const EXCHANGE_NAME = /^[A-Z]+ \S+ → \d{3}\b/;

export function readObservations(dirs: readonly string[]): Observation[] {
  const out: Observation[] = [];
  for (const dir of dirs)
    for (const file of resultFiles([dir])) {
      const result = readJson(join(dir, file)) as AllureStep | undefined;
      const rule = ruleOfTags((result?.labels ?? []).filter((l) => l.name === 'tag').map((l) => l.value));
      const walk = (step: AllureStep, path: string[]): void => {
        for (const attachment of step.attachments ?? []) {
          if (attachment.type !== 'application/json' || !EXCHANGE_NAME.test(attachment.name)) continue;
          const exchange = readJson(join(dir, attachment.source)) as RenderedExchange | undefined;
          // The attachment sits in a step of its own name: the step that made it is the one above.
          const steps = path.at(-1) === attachment.name ? path.slice(0, -1) : path;
          const valid = typeof exchange?.request?.method === 'string' && typeof exchange.request.url === 'string';
          if (valid && Number.isInteger(exchange.response?.status)) out.push({ rule, steps, exchange });
        }
        for (const child of step.steps ?? []) walk(child, [...path, child.name ?? '']);
      };
      walk(result ?? {}, []);
    }
  return out;
}

/** Every annotation of every test and attempt; none when the report is missing. */
export function readAnnotations(reportFile: string): Annotation[] {
  const report = readReport(reportFile);
  return (report ? testsOf(report) : []).flatMap((t) => t.annotations).map((a) => ({ type: a.type, description: a.description ?? '' }));
}

const ALL_BUT_R4: RuleId[] = ['R1', 'R2', 'R3', 'R5', 'R6', 'R7', 'R8'];
/** Kinds read from step titles, first match wins; `rules` limits a pattern to those rules' tests. */
const STEP_KINDS: ReadonlyArray<{ kind: string | ((m: RegExpExecArray) => string); pattern: RegExp; rules?: readonly RuleId[] }> = [
  // Hand-on checks look at tokens other tests may have killed: no evidence about a live token.
  { kind: '', pattern: /\bhand(ed)?\b.*\bon\b/i },
  { kind: 'concurrent logouts', pattern: /\blogouts\b.*\bat once\b|simultaneous|concurrent/i },
  { kind: 'Bearer-prefixed live token', pattern: /"Bearer |Bearer-prefixed/ },
  { kind: 'logged-out token, at once', pattern: /first call after (the )?logout|\bat once\b.*\blogged.out\b/i },
  { kind: 'logged-out token, later', pattern: /\blater\b/i, rules: ['R2'] },
  { kind: "same user's other session after a logout", pattern: /\bother session\b/i },
  { kind: (m) => `refused credential: ${m[1]}`, pattern: /\brejects (.+)$/i, rules: ['R3'] },
  // Rule 4's sweep mixes live and dead tokens in one step: only its method and path say anything.
  { kind: 'live token', pattern: /^a live token\b/i, rules: ['R4'] },
  { kind: 'live token', pattern: /\blog out\b|^control\b|accepts the token|still works|^logout \d+ of \d+/i, rules: ALL_BUT_R4 },
];

function kindFromSteps(obs: Observation): string | undefined {
  // The step nearest the exchange speaks first.
  for (const title of [...obs.steps].reverse()) {
    for (const { kind, pattern, rules } of STEP_KINDS) {
      if (rules && (obs.rule === undefined || !rules.includes(obs.rule))) continue;
      const match = pattern.exec(title);
      if (match) return (typeof kind === 'string' ? kind : kind(match)) || undefined;
    }
  }
  return undefined;
}

/** The operation (for another method on a documented path, that path's label) and the kind, undefined when the step does not say. */
export function classify(obs: Observation): { operationId: OperationId | undefined; operation: string; kind: string | undefined } {
  const { url } = obs.exchange.request;
  const method = obs.exchange.request.method.toUpperCase();
  const path = URL.canParse(url) ? new URL(url).pathname : url.split('?')[0];
  const bare = (p: string) => p.replace(/\/+$/, '');
  const operations = Object.entries(OPERATIONS) as Array<[OperationId, { method: string; path: string; label: string }]>;
  const onPath = operations.filter(([, op]) => bare(op.path) === bare(path));
  const exact = onPath.find(([, op]) => op.method === method);
  if (!exact)
    return { operationId: undefined, operation: onPath[0]?.[1].label ?? `${method} ${path}`, kind: onPath[0] && `other method ${method}` };
  const [operationId, { label }] = exact;
  // The login calls, whatever step made them.
  const login = operationId === 'send-user-otp' || operationId === 'verify-user-otp';
  return { operationId, operation: label, kind: login ? 'login' : kindFromSteps(obs) };
}

/** The media type only (parameters dropped), or a word saying why there is none to show. */
function mediaType(value = ''): string {
  const media = value.split(';')[0].trim().toLowerCase();
  return value.trim() === '' ? 'none' : /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(media) ? media : 'unparsable';
}

function errorOf(body: unknown): Record<string, unknown> | undefined {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  return error !== null && typeof error === 'object' && !Array.isArray(error) ? (error as Record<string, unknown>) : undefined;
}

function errorCodeOf(body: unknown): string {
  const code = errorOf(body)?.errorCode;
  if (code === undefined || code === null) return 'none';
  const short = (typeof code === 'number' || typeof code === 'string') && /^[A-Za-z0-9_.-]{1,24}$/.test(String(code));
  return short ? String(code) : 'present, not a code';
}

/** The documented shape an answer's body matched (openapi/NOTES.md, "Error bodies"), or a 2xx body's schema; "none" when it matched nothing. */
function shapeOf(ex: RenderedExchange, operationId: string | undefined, validator: SchemaValidator): string {
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

const figure = (values: number[]): LatencyFigure | null =>
  values.length === 0
    ? null
    : { p50Ms: Math.round(percentile(values, 50)), p95Ms: Math.round(percentile(values, 95)), count: values.length };

function policiesOf(observations: readonly Observation[], annotations: readonly Annotation[]): Policies {
  /** The annotations whose type matches, each reduced to the first of `words` its description matches; else "not observed". */
  const policy = (type: RegExp, words: Record<string, RegExp>): string => {
    const word = (text: string) => Object.entries(words).find(([, pattern]) => pattern.test(text))?.[0] ?? 'observed, unrecognised wording';
    const found = annotations.filter((a) => type.test(a.type)).map((a) => word(a.description));
    return found.length === 0 ? NOT_OBSERVED : sorted(found).join(' and ');
  };
  const ttls = observations
    .filter((o) => classify(o).operationId === 'verify-user-otp' && o.exchange.response.status === 200)
    .map((o) => (o.exchange.response.body as { data?: { ttl?: unknown } } | undefined)?.data?.ttl)
    .filter((ttl): ttl is number => typeof ttl === 'number' && Number.isFinite(ttl));
  const rateAnnotated = policy(/rate.?limit/i, { 'not met': /not met|none|no 429/i, 'met (429)': /429|met|limited/i });
  const met = observations.some((o) => o.exchange.response.status === 429);
  return {
    sameUserSessions: policy(/same.user sessions/i, { survive: /surviv/i, revoked: /revoked/i }),
    sessionsPerUser: policy(/sessions? per user|session limit|concurrent sessions/i, {
      one: /\b(one|single|1)\b/i,
      several: /\b(several|many|multiple)\b|\b[2-9]\b/i,
    }),
    rateLimiting: met ? 'met (429)' : rateAnnotated !== NOT_OBSERVED || observations.length === 0 ? rateAnnotated : 'not met',
    tokenLifetime:
      ttls.length > 0 ? sorted(ttls.map((t) => `${t} s`)).join(' and ') : policy(/token (lifetime|ttl)/i, { announced: /\d+/ }),
  };
}

/** `target`: the target's host name (helpers/report-environment.ts), so a comparison across targets is flagged. */
export function buildFingerprint(
  observations: readonly Observation[],
  annotations: readonly Annotation[],
  validator: SchemaValidator,
  target: string,
  now = new Date(),
) {
  const answers: Record<string, Answer> = {};
  const byOperation = new Map<string, number[]>();
  const logouts: number[] = [];
  for (const obs of observations) {
    const { operationId, operation, kind } = classify(obs);
    const { response, timing } = obs.exchange;
    if (operationId !== undefined) byOperation.set(operation, [...(byOperation.get(operation) ?? []), timing.ms]);
    if (operationId === 'logout-user' && response.status >= 200 && response.status < 300) logouts.push(timing.ms);
    if (kind === undefined) continue;
    const key = `${operation}, ${kind}`;
    const answer = (answers[key] ??= { operation, kind, status: [], errorCode: [], shape: [], contentType: [], count: 0 });
    const contentType = Object.entries(response.headers ?? {}).find(([key]) => key.toLowerCase() === 'content-type')?.[1];
    const seen: Record<AnswerFacet, string> = {
      status: String(response.status),
      errorCode: errorCodeOf(response.body),
      shape: shapeOf(obs.exchange, operationId, validator),
      contentType: mediaType(contentType),
    };
    for (const facet of Object.keys(ANSWER_FACETS) as AnswerFacet[]) answer[facet] = sorted([...answer[facet], seen[facet]]);
    answer.count++;
  }
  const byKey = <T>(entries: Array<[string, T]>) => Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
  return {
    version: 1,
    recordedAt: now.toISOString(),
    target,
    answers: byKey(Object.entries(answers)),
    policies: policiesOf(observations, annotations),
    latency: { logout: figure(logouts), operations: byKey([...byOperation.entries()].map(([op, values]) => [op, figure(values)!])) },
  };
}

export const FACETS = ['status', 'errorCode', 'shape', 'contentType', 'policy', 'latency'] as const;
export type Facet = (typeof FACETS)[number];
export type Change = { facet: Facet; line: string };

/**
 * A p95 moved when it moved by at least `ms` AND by `ratio` of the earlier figure: the floor keeps a
 * fast target's jitter (20 → 60 ms) out, the ratio a slow target's nightly spread.
 */
export type LatencyThreshold = { ms: number; ratio: number };
export const DEFAULT_LATENCY_THRESHOLD: LatencyThreshold = { ms: 100, ratio: 0.5 };

export function latencyThreshold(env: NodeJS.ProcessEnv = process.env): LatencyThreshold {
  const raw = env.TRANSAK_LATENCY_CHANGE_MS?.trim();
  if (raw === undefined || raw === '') return DEFAULT_LATENCY_THRESHOLD;
  if (!/^\d+$/.test(raw)) throw new Error(`TRANSAK_LATENCY_CHANGE_MS="${raw}": write a whole number of milliseconds, e.g. 100`);
  return { ...DEFAULT_LATENCY_THRESHOLD, ms: Number(raw) };
}

export function latencyMoved(before: number, after: number, threshold: LatencyThreshold): boolean {
  const delta = Math.abs(after - before);
  return delta >= threshold.ms && delta >= threshold.ratio * before;
}

/** TRANSAK_FAIL_ON_CHANGE: a comma list of facets, or `any`; empty means a change never fails a run. */
export function failOnFacets(env: NodeJS.ProcessEnv = process.env): Facet[] {
  const raw = env.TRANSAK_FAIL_ON_CHANGE?.trim() ?? '';
  const names = raw.split(/\s*,\s*/).filter((n) => n !== '');
  if (names.includes('any')) return [...FACETS];
  const unknown = names.filter((n) => !(FACETS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`TRANSAK_FAIL_ON_CHANGE="${raw}": unknown ${unknown.join(', ')}; choose from ${FACETS.join(', ')} or any`);
  return FACETS.filter((f) => names.includes(f));
}

/** `notCompared`: the kinds of request only one of the two runs observed. */
export function compareFingerprints(before: Fingerprint, after: Fingerprint, threshold = DEFAULT_LATENCY_THRESHOLD) {
  const changes: Change[] = [];
  const keys = [...new Set([...Object.keys(before.answers), ...Object.keys(after.answers)])].sort();
  const notCompared = keys.filter((key) => !before.answers[key] || !after.answers[key]);
  for (const key of keys.filter((k) => !notCompared.includes(k))) {
    for (const [facet, prefix] of Object.entries(ANSWER_FACETS) as Array<[AnswerFacet, string]>) {
      const [was, is] = [before.answers[key][facet].join(' or '), after.answers[key][facet].join(' or ')];
      if (was !== is) changes.push({ facet, line: `${key}: ${prefix}${was} → ${is}` });
    }
  }
  for (const [name, label] of Object.entries(POLICY_LABELS) as Array<[keyof Policies, string]>) {
    const [was, is] = [before.policies[name], after.policies[name]];
    if (was !== is && was !== NOT_OBSERVED && is !== NOT_OBSERVED) changes.push({ facet: 'policy', line: `${label}: ${was} → ${is}` });
  }
  const latency = (name: string, was: LatencyFigure | null | undefined, is: LatencyFigure | null | undefined): void => {
    if (was && is && latencyMoved(was.p95Ms, is.p95Ms, threshold))
      changes.push({ facet: 'latency', line: `${name} p95: ${was.p95Ms} ms → ${is.p95Ms} ms` });
  };
  latency('logout', before.latency.logout, after.latency.logout);
  for (const op of Object.keys(after.latency.operations).sort())
    latency(`${op}, all answers,`, before.latency.operations[op], after.latency.operations[op]);
  return { changes, notCompared };
}
