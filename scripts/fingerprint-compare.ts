/**
 * How the gateway's answers moved between two runs, one line per change, each line tagged with the
 * facet that moved, so a team can choose which facets fail a run (TRANSAK_FAIL_ON_CHANGE).
 *
 * Only what both runs observed is compared: a kind of request one run did not send (a --grep, a
 * test stopped early) or a policy one run did not observe is not a change of the gateway.
 */
import { NOT_OBSERVED, type Answer, type Fingerprint, type LatencyFigure, type Policies } from './fingerprint-build';

export const FACETS = ['status', 'errorCode', 'shape', 'contentType', 'policy', 'latency'] as const;
export type Facet = (typeof FACETS)[number];

export interface Change {
  facet: Facet;
  line: string;
}

export interface Comparison {
  changes: Change[];
  /** Kinds of request only one of the two runs observed. */
  notCompared: string[];
}

/**
 * A p95 moved when it moved by at least `ms` AND by at least `ratio` of the earlier figure. The
 * floor keeps a fast target's jitter (20 → 60 ms) out; the ratio keeps a slow target's nightly
 * spread out. Both are the defaults of docs/reports.md; TRANSAK_LATENCY_CHANGE_MS moves the floor.
 */
export interface LatencyThreshold {
  ms: number;
  ratio: number;
}
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
  if (raw === '') return [];
  const names = raw
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.includes('any')) return [...FACETS];
  const unknown = names.filter((n) => !(FACETS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`TRANSAK_FAIL_ON_CHANGE="${raw}": unknown ${unknown.join(', ')}; choose from ${FACETS.join(', ')} or any`);
  return FACETS.filter((f) => names.includes(f));
}

const show = (values: readonly string[]): string => values.join(' or ');
const same = (a: readonly string[], b: readonly string[]): boolean => show(a) === show(b);

const ANSWER_FACETS: ReadonlyArray<{
  facet: Facet;
  field: keyof Pick<Answer, 'status' | 'errorCode' | 'shape' | 'contentType'>;
  prefix: string;
}> = [
  { facet: 'status', field: 'status', prefix: '' },
  { facet: 'errorCode', field: 'errorCode', prefix: 'errorCode ' },
  { facet: 'shape', field: 'shape', prefix: 'body shape ' },
  { facet: 'contentType', field: 'contentType', prefix: 'content type ' },
];

export const POLICY_LABELS: Record<keyof Policies, string> = {
  sameUserSessions: 'same-user sessions after a logout',
  sessionsPerUser: 'sessions per user',
  rateLimiting: 'rate limiting',
  tokenLifetime: 'token lifetime (Verify User OTP ttl)',
};

function latencyLine(
  name: string,
  before: LatencyFigure | null | undefined,
  after: LatencyFigure | null | undefined,
  t: LatencyThreshold,
): Change[] {
  if (!before || !after || !latencyMoved(before.p95Ms, after.p95Ms, t)) return [];
  return [{ facet: 'latency', line: `${name} p95: ${before.p95Ms} ms → ${after.p95Ms} ms` }];
}

export function compareFingerprints(before: Fingerprint, after: Fingerprint, threshold = DEFAULT_LATENCY_THRESHOLD): Comparison {
  const changes: Change[] = [];
  const keys = [...new Set([...Object.keys(before.answers), ...Object.keys(after.answers)])].sort();
  const notCompared = keys.filter((key) => !before.answers[key] || !after.answers[key]);
  for (const key of keys.filter((k) => !notCompared.includes(k))) {
    for (const { facet, field, prefix } of ANSWER_FACETS) {
      const [was, is] = [before.answers[key][field], after.answers[key][field]];
      if (!same(was, is)) changes.push({ facet, line: `${key}: ${prefix}${show(was)} → ${show(is)}` });
    }
  }
  for (const name of Object.keys(POLICY_LABELS) as Array<keyof Policies>) {
    const [was, is] = [before.policies[name], after.policies[name]];
    if (was !== is && was !== NOT_OBSERVED && is !== NOT_OBSERVED)
      changes.push({ facet: 'policy', line: `${POLICY_LABELS[name]}: ${was} → ${is}` });
  }
  changes.push(...latencyLine('logout', before.latency.logout, after.latency.logout, threshold));
  for (const op of Object.keys(after.latency.operations).sort()) {
    changes.push(...latencyLine(`${op}, all answers,`, before.latency.operations[op], after.latency.operations[op], threshold));
  }
  return { changes, notCompared };
}
