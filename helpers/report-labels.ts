/**
 * Allure labels for every test, set once here rather than in each spec: the verdict rule a test
 * judges (read from its title prefix, `R1 ` … `R8 ` or `preflight:`) becomes its story, severity
 * and tags; epic, feature and the reference link are the same for all.
 *
 * They are applied by an allure-playwright lifecycle listener (playwright.config.ts passes
 * `listeners: [reportLabelsListener]`), in the reporter process, as each result is written. Not by
 * an automatic fixture calling allure.label(): each such call is an attachment, and (1) Playwright's
 * HTML report lists every one as an "Allure Metadata" attachment of every test, (2) inside a boxed
 * fixture allure-playwright pairs them with the wrong attach steps (it matches by name, first in
 * first out) and drops labels and duplicates parameters, and (3) a test that never ran its fixtures
 * (skipped after a failed preflight, or failed in worker setup) would get no labels at all.
 */
import type { TestInfo } from '@playwright/test';
import * as allure from 'allure-js-commons';
import type { TestResult } from 'allure-js-commons';

export const EPIC = 'Transak whitelabel API';
export const FEATURE = 'Logout User';
export const REFERENCE_URL = 'https://docs.transak.com/api/whitelabel/user/logout-user';

export type Severity = 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';
export type RuleId = 'preflight' | 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6' | 'R7' | 'R8';

export interface RuleLabels {
  /** The one-line name of the rule in openapi/NOTES.md. */
  name: string;
  severity: Severity;
  tags: string[];
}

/**
 * Severity is what a failure of the rule costs a user: a logged-out token that still works (R2) or
 * a forged token that is accepted (R3) is a security hole, so blocker; a broken logout (R1), a 5xx
 * or echoed token (R4) and one logout ending another user's session (R6) break the feature,
 * critical; a wrong answer to another method (R5) or to a double-click (R7) is normal; a slow
 * logout (R8) is minor. Preflight is critical: when it fails, nothing else was judged.
 */
export const RULES: Record<RuleId, RuleLabels> = {
  preflight: { name: 'Preflight: configuration valid, target reachable, a token can be obtained', severity: 'critical', tags: ['preflight'] },
  R1: { name: 'R1 · Logout of a fresh token answers 200 with the documented JSON body', severity: 'critical', tags: ['R1', 'contract'] },
  R2: { name: 'R2 · A logged-out token is rejected everywhere, at once and later', severity: 'blocker', tags: ['R2', 'security', 'revocation'] },
  R3: { name: 'R3 · Credentials that are not a live token are rejected', severity: 'blocker', tags: ['R3', 'security', 'auth-bypass'] },
  R4: { name: 'R4 · No 5xx and no echoed token', severity: 'critical', tags: ['R4', 'robustness', 'security'] },
  R5: { name: 'R5 · Only POST logs out', severity: 'normal', tags: ['R5', 'contract'] },
  R6: { name: 'R6 · Logout ends one session, not another user’s', severity: 'critical', tags: ['R6', 'isolation'] },
  R7: { name: 'R7 · Concurrent logouts of one token are safe', severity: 'normal', tags: ['R7', 'concurrency'] },
  R8: { name: 'R8 · Logout answers within the latency objective', severity: 'minor', tags: ['R8', 'performance'] },
};

/** The rule a test judges, from its title; undefined for a title that names none. */
export function ruleOf(title: string): RuleId | undefined {
  if (/^preflight:/i.test(title)) return 'preflight';
  const match = /^(R[1-8]) /.exec(title);
  return match ? (match[1] as RuleId) : undefined;
}

export interface ReportLabels {
  labels: Array<{ name: string; value: string }>;
  links: Array<{ url: string; name: string; type: string }>;
}

/** Everything the report shows about a test besides its steps: pure, so it is unit-tested. */
export function reportLabelsFor(title: string): ReportLabels {
  const rule = ruleOf(title);
  const labels = rule ? RULES[rule] : { name: 'Unclassified (title names no rule)', severity: 'normal' as Severity, tags: ['unclassified'] };
  return {
    labels: [
      { name: 'epic', value: EPIC },
      { name: 'feature', value: FEATURE },
      { name: 'story', value: labels.name },
      { name: 'severity', value: labels.severity },
      { name: 'layer', value: 'api' },
      ...['logout-user', ...labels.tags].map((value) => ({ name: 'tag', value })),
    ],
    links: [{ url: REFERENCE_URL, name: 'Logout User reference', type: 'link' }],
  };
}

export interface LatencySummary {
  objectiveMs: number;
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  figuresMs: number[];
}

/**
 * Rule 8's figures where a reader of the Allure report looks: a parameter in the test's header and
 * a CSV of every logout, which Allure shows as a table. Playwright's HTML report gets the same CSV
 * (next to the spec's JSON "logout latency" and its annotation).
 */
export async function reportLatency(summary: LatencySummary, testInfo: Pick<TestInfo, 'attach'>): Promise<void> {
  const figures = `p50 ${summary.p50Ms} · p95 ${summary.p95Ms} · max ${summary.maxMs} (objective: p95 ≤ ${summary.objectiveMs}, ${summary.samples} logouts)`;
  // One parameter, one runtime message; excluded from the history id, which must not change per run.
  await allure.parameter('logout latency (ms)', figures, { excluded: true });
  const rows = summary.figuresMs.map((ms, i) => `${i + 1},${ms}`);
  await testInfo.attach('logout latency (table)', { body: ['logout,ms', ...rows].join('\n'), contentType: 'text/csv' });
}

/** The allure-playwright listener that gives every result its labels and the reference link. */
export const reportLabelsListener = {
  beforeTestResultWrite(result: TestResult): void {
    const { labels, links } = reportLabelsFor(result.name ?? '');
    const present = new Set(result.labels.map((l) => `${l.name}=${l.value}`));
    result.labels.push(...labels.filter((l) => !present.has(`${l.name}=${l.value}`)));
    if (!result.links.some((l) => l.url === REFERENCE_URL)) result.links.push(...links);
  },
};
