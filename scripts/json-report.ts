/**
 * The one reader of Playwright's JSON report (reports/results.json, merged or not, the self-tests'
 * selftests.json, a `playwright test --list`): every test of every project as one flat record, and
 * the errors outside any test. Typed on Playwright's own report types.
 */
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import type { JSONReport, JSONReportSuite, JSONReportTest, JSONReportTestResult, TestError, TestStatus } from '@playwright/test/reporter';

export type { JSONReport };

export interface ReportTest {
  title: string;
  /** The file's title, the describes', then the test's. */
  titlePath: string[];
  /** As the JSON reporter writes them, without their "@" (`R2`), a describe's included. */
  tags: string[];
  project: string;
  /** The last attempt's status. */
  status: TestStatus;
  /** Playwright's verdict over all attempts: expected, unexpected, flaky or skipped. */
  outcome: JSONReportTest['status'];
  /** The last attempt's error messages in full, colour codes stripped. */
  errors: string[];
  /** The test's annotations, then each attempt's. */
  annotations: JSONReportTest['annotations'];
  /** All attempts' durations added up. */
  duration: number;
  retries: number;
  /** Every attempt, as the report wrote it. */
  results: JSONReportTestResult[];
}

/** A report error's text, colour codes stripped. */
export function plain(error: Partial<TestError>): string {
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

export function testsOf(report: JSONReport): ReportTest[] {
  const walk = (suite: JSONReportSuite, path: string[]): ReportTest[] => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests.map((test): ReportTest => {
        const last = test.results[test.results.length - 1];
        return {
          title: spec.title,
          titlePath: [...path, spec.title],
          tags: spec.tags ?? [],
          project: test.projectName,
          status: last?.status ?? 'skipped',
          outcome: test.status,
          errors: (last?.errors ?? []).map(plain),
          annotations: [...(test.annotations ?? []), ...test.results.flatMap((r) => r.annotations ?? [])],
          duration: test.results.reduce((sum, r) => sum + r.duration, 0),
          retries: Math.max(0, test.results.length - 1),
          results: test.results,
        };
      }),
    ),
    ...(suite.suites ?? []).flatMap((child) => walk(child, [...path, child.title])),
  ];
  return report.suites.flatMap((suite) => walk(suite, [suite.title]));
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
