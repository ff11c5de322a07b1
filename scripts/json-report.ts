/**
 * The one reader of Playwright's JSON report (reports/results.json, merged or not, the self-tests'
 * selftests.json, a `playwright test --list`): every test of every project as one flat record, and
 * the errors outside any test. Typed on Playwright's own report types.
 */
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import type { JSONReport, JSONReportSpec, JSONReportSuite, JSONReportTest, TestError } from '@playwright/test/reporter';

export type { JSONReport };

const plain = (error: Partial<TestError>): string => stripVTControlCharacters(error.message ?? error.value ?? String(error));

/** A JSON file's content; undefined when it is missing or torn. */
export function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export const readReport = (file: string) => readJson(file) as JSONReport | undefined;

type Annotation = JSONReportTest['annotations'][number];

/** Each type and description once, in the order met: Playwright writes a runtime annotation with the test and again with its attempt. */
const onceEach = (annotations: Annotation[]): Annotation[] =>
  annotations.filter((a, i) => annotations.findIndex((b) => b.type === a.type && (b.description ?? '') === (a.description ?? '')) === i);

function testOf(spec: JSONReportSpec, test: JSONReportTest) {
  const last = test.results.at(-1);
  return {
    title: spec.title,
    // As the JSON reporter writes them, without their "@" (`R2`), a describe's included.
    tags: spec.tags ?? [],
    project: test.projectName,
    // The last attempt's; `outcome` is Playwright's verdict over all attempts (expected, unexpected, flaky or skipped).
    status: last?.status ?? 'skipped',
    outcome: test.status,
    errors: (last?.errors ?? []).map(plain),
    annotations: onceEach([...(test.annotations ?? []), ...test.results.flatMap((r) => r.annotations ?? [])]),
    results: test.results,
  };
}

export type ReportTest = ReturnType<typeof testOf>;

export function testsOf(report: JSONReport): ReportTest[] {
  const walk = (suite: JSONReportSuite): ReportTest[] => [
    ...(suite.specs ?? []).flatMap((spec) => spec.tests.map((test) => testOf(spec, test))),
    ...(suite.suites ?? []).flatMap(walk),
  ];
  return report.suites.flatMap(walk);
}

/** Errors outside any test (a failed global setup, the run-level verdict), in full. */
export const runErrors = (report: JSONReport): string[] => (report.errors ?? []).map(plain);

/** How many tests the report in `file` holds (one per spec and project); NaN when there is none. */
export function countTests(file: string): number {
  const report = readReport(file);
  return report ? testsOf(report).length : NaN;
}
