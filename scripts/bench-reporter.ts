/**
 * A Playwright reporter for `npm run bench`: every test's timing, and how long it deliberately
 * waited (its top-level steps titled `wait …`, the way the suite names its pauses), written as one
 * JSON file, BENCH_STATS_FILE. It prints nothing.
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export interface BenchTest {
  title: string;
  project: string;
  status: string;
  startMs: number;
  durationMs: number;
  /** The test's deliberate waits added up. */
  waitMs: number;
}

const WAIT_STEP = /^wait\b/i;

class BenchReporter implements Reporter {
  private readonly tests: BenchTest[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    const waitMs = result.steps
      .filter((s) => s.category === 'test.step' && WAIT_STEP.test(s.title))
      .reduce((sum, s) => sum + s.duration, 0);
    this.tests.push({
      title: test.title,
      project: test.parent.project()?.name ?? '',
      status: result.status,
      startMs: result.startTime.getTime(),
      durationMs: result.duration,
      waitMs,
    });
  }

  onEnd(): void {
    const file = process.env.BENCH_STATS_FILE;
    if (file) writeFileSync(file, JSON.stringify(this.tests));
  }

  printsToStdio(): boolean {
    return false;
  }
}

export default BenchReporter;
