/**
 * A Playwright reporter for `npm run bench` (and self-tests that count requests): it reads the
 * suite's own exchange attachments (already redacted: method, URL, status, timing) and writes one
 * JSON file, BENCH_STATS_FILE, with every exchange and every test's timing. It prints nothing.
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export interface BenchExchange {
  test: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

export interface BenchTest {
  title: string;
  project: string;
  status: string;
  startMs: number;
  durationMs: number;
  workerIndex: number;
}

export interface BenchStats {
  exchanges: BenchExchange[];
  tests: BenchTest[];
}

class BenchReporter implements Reporter {
  private readonly stats: BenchStats = { exchanges: [], tests: [] };

  onTestEnd(test: TestCase, result: TestResult): void {
    const project = test.parent.project()?.name ?? '';
    this.stats.tests.push({ title: test.title, project, status: result.status, startMs: result.startTime.getTime(), durationMs: result.duration, workerIndex: result.workerIndex });
    for (const attachment of result.attachments) {
      if (attachment.contentType !== 'application/json' || !attachment.body || !attachment.name.includes(' → ')) continue;
      try {
        const ex = JSON.parse(attachment.body.toString('utf8')) as { request: { method: string; url: string }; response: { status: number }; timing: { ms: number } };
        this.stats.exchanges.push({ test: test.title, method: ex.request.method, path: new URL(ex.request.url).pathname, status: ex.response.status, ms: ex.timing.ms });
      } catch {
        // Not an exchange attachment.
      }
    }
  }

  onEnd(): void {
    const file = process.env.BENCH_STATS_FILE;
    if (file) writeFileSync(file, JSON.stringify(this.stats));
  }

  printsToStdio(): boolean {
    return false;
  }
}

export default BenchReporter;
