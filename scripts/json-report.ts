/**
 * The one reader of Playwright's JSON report (reports/results.json, merged or not, the self-tests'
 * selftests.json, a `playwright test --list`): every test of every project as one flat record, and
 * the errors outside any test. Typed on Playwright's own report types.
 */
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import type { JSONReport, JSONReportSpec, JSONReportSuite, JSONReportTest, TestError } from '@playwright/test/reporter';

export type { JSONReport };

/** A report error's text, colour codes stripped. */
function plain(error: Partial<TestError>): string {
  return stripVTControlCharacters(error.message ?? error.value ?? String(error));
}

/** The report in `file`; undefined when there is none or it is no JSON. */
export function readReport(file: string): JSONReport | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JSONReport;
  } catch {
    return undefined;
  }
}

type Annotation = JSONReportTest['annotations'][number];

/** Each type and description once, in the order met: Playwright writes a runtime annotation with the test and again with its attempt. */
function onceEach(annotations: Annotation[]): Annotation[] {
  const seen = new Set<string>();
  return annotations.filter(({ type, description }) => {
    const key = JSON.stringify([type, description ?? '']);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function testOf(spec: JSONReportSpec, test: JSONReportTest) {
  const last = test.results.at(-1);
  return {
    title: spec.title,
    // As the JSON reporter writes them, without their "@" (`R2`), a describe's included.
    tags: spec.tags ?? [],
    project: test.projectName,
    // The last attempt's status; `outcome` is Playwright's verdict over all attempts (expected,
    // unexpected, flaky or skipped).
    status: last?.status ?? 'skipped',
    outcome: test.status,
    // The last attempt's error messages in full, colour codes stripped.
    errors: (last?.errors ?? []).map(plain),
    // The test's annotations, then each attempt's, once each.
    annotations: onceEach([...(test.annotations ?? []), ...test.results.flatMap((r) => r.annotations ?? [])]),
    // Every attempt, as the report wrote it.
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
export function runErrors(report: JSONReport): string[] {
  return (report.errors ?? []).map(plain);
}

/** How many tests the report in `file` holds (one per spec and project); NaN when there is none. */
export function countTests(file: string): number {
  const report = readReport(file);
  return report ? testsOf(report).length : NaN;
}
