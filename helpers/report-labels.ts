/**
 * Allure labels for every test, set once here rather than in each spec: the verdict rule a test
 * judges (its `@R1` … `@R8` tag, from helpers/rules.ts) becomes its story, severity and tags; epic,
 * feature and the reference link are the same for all.
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
import { RULES, ruleOfTags, type Severity } from './rules';
import { percentile } from './verdicts';

export const EPIC = 'Transak whitelabel API';
export const FEATURE = 'Logout User';
export const REFERENCE_URL = 'https://docs.transak.com/api/whitelabel/user/logout-user';
/** The name rule 8's figures go under, as an annotation and as an Allure parameter. */
export const LATENCY_NOTE = 'logout latency (ms)';

/** The story of a test that carries no rule tag: it shows up in the report instead of hiding. */
export const UNCLASSIFIED = {
  title: 'Unclassified (tagged with no verdict rule)',
  severity: 'normal' as Severity,
  topics: ['unclassified'],
};

/** Everything the report shows about a test besides its steps, from its tags: pure, so it is unit-tested. */
export function reportLabelsFor(tags: readonly string[]) {
  const rule = ruleOfTags(tags);
  const spec = rule ? { ...RULES[rule], title: `${rule} · ${RULES[rule].title}` } : UNCLASSIFIED;
  return {
    labels: [
      { name: 'epic', value: EPIC },
      { name: 'feature', value: FEATURE },
      { name: 'story', value: spec.title },
      { name: 'severity', value: spec.severity },
      { name: 'layer', value: 'api' },
      ...['logout-user', ...spec.topics].map((value) => ({ name: 'tag', value })),
    ],
    links: [{ url: REFERENCE_URL, name: 'Logout User reference', type: 'link' }],
  };
}

/**
 * Rule 8's figures, in one line: a test annotation, which Playwright's HTML and JSON reports show.
 * allure-playwright reads only the annotations a test declares up front, never one added while it
 * runs, so the Allure report gets the same line as a parameter in the test's header.
 */
export async function reportLatency(
  figuresMs: readonly number[],
  objectiveMs: number,
  testInfo: Pick<TestInfo, 'annotations'>,
): Promise<void> {
  const line = `p50 ${percentile(figuresMs, 50)} · p95 ${percentile(figuresMs, 95)} · max ${Math.max(...figuresMs)} (objective: p95 ≤ ${objectiveMs}; ${figuresMs.length} logouts: ${figuresMs.join(', ')})`;
  testInfo.annotations.push({ type: LATENCY_NOTE, description: line });
  // Excluded from the history id, which must not change per run.
  await allure.parameter(LATENCY_NOTE, line, { excluded: true });
}

/**
 * A pass on a retry is flaky. Playwright retries only a failed attempt, and allure-playwright writes
 * each attempt as its own result, the later ones with an excluded "Retry" parameter; Allure 3 marks
 * a result flaky only from its history or from `statusDetails.flaky`, which nothing else sets. So a
 * nightly that passed on its retry would read as a plain pass without this.
 */
export function markFlakyRetry(result: Pick<TestResult, 'status' | 'parameters' | 'statusDetails'>): void {
  const retry = Number(result.parameters.find((p) => p.name === 'Retry')?.value ?? 0);
  // `flaky` is read by Allure's results reader (statusDetails.flaky) but missing from allure-js-commons' type.
  if (result.status === 'passed' && retry > 0)
    result.statusDetails = { ...result.statusDetails, flaky: true } as TestResult['statusDetails'];
}

/** The allure-playwright listener that gives every result its labels and the reference link, and marks a pass on retry flaky. */
export const reportLabelsListener = {
  beforeTestResultWrite(result: TestResult): void {
    markFlakyRetry(result);
    const tags = result.labels.filter((l) => l.name === 'tag').map((l) => l.value ?? '');
    const { labels, links } = reportLabelsFor(tags);
    const present = new Set(result.labels.map((l) => `${l.name}=${l.value}`));
    result.labels.push(...labels.filter((l) => !present.has(`${l.name}=${l.value}`)));
    if (!result.links.some((l) => l.url === REFERENCE_URL)) result.links.push(...links);
  },
};
