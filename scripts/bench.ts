/**
 * `npm run bench [-- --runs=N]`: how fast is the suite against the embedded emulator, next to the
 * framework's floor, and where does its time go?
 * - suite: `playwright test` with the project's config (webServer starts the emulator), N times;
 * - floor: the same config running one empty test (generated under test-results/, so it resolves
 *   @playwright/test), N times: process start, config, webServer, one worker, reporters;
 * - the ratio of the medians; logins (Verify User OTP → 200) per run against the tests that destroy
 *   a token (a POST logout → 200); p50/p95 latency per endpoint; the slowest tests.
 * Figures come from the suite's own exchange attachments (scripts/bench-reporter.ts), not from logs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../selftests/support/emulator-process';
import { runSuite, type SuiteRun } from '../selftests/support/suite-run';
import type { BenchStats } from './bench-reporter';

const REPORTER = join(ROOT, 'scripts', 'bench-reporter.ts');
const runs = Number(/^--runs=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--runs=')) ?? '')?.[1] ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile, as the suite's rule 8 computes it. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function floorConfig(): string {
  // Inside the project (so the spec resolves @playwright/test and Playwright transpiles it), in a
  // git-ignored folder; removed when the bench ends.
  const dir = join(ROOT, 'test-results', `.bench-floor-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'floor.spec.ts'), "import { test } from '@playwright/test';\n\ntest('floor: an empty test', () => {});\n");
  writeFileSync(
    join(dir, 'floor.config.ts'),
    `import { defineConfig } from '@playwright/test';
import base from ${JSON.stringify(join(ROOT, 'playwright.config'))};

// The project's configuration (reporters, workers, webServer) with one empty test instead of the suite.
const server = Array.isArray(base.webServer) ? base.webServer[0] : base.webServer;
export default defineConfig({
  ...base,
  testDir: __dirname,
  projects: [{ name: 'floor', testMatch: /floor\\.spec\\.ts$/ }],
  webServer: server ? { ...server, cwd: ${JSON.stringify(ROOT)} } : undefined,
});
`,
  );
  return join(dir, 'floor.config.ts');
}

function check(run: SuiteRun, what: string): void {
  if (run.exitCode !== 0 || run.failed.length > 0 || run.tests.length === 0) {
    throw new Error(`${what} did not pass (exit ${run.exitCode}): ${run.failed.map((t) => t.title).join('; ')}\n${run.output.slice(-2000)}`);
  }
}

async function main(): Promise<void> {
  const config = floorConfig();
  const statsDir = mkdtempSync(join(tmpdir(), 'bench-'));
  const suiteMs: number[] = [];
  const floorMs: number[] = [];
  const perRun: BenchStats[] = [];
  try {
    for (let i = 1; i <= runs; i++) {
      const file = join(statsDir, `suite-${i}.json`);
      const suite = await runSuite({ env: { BENCH_STATS_FILE: file }, reporters: [REPORTER] });
      check(suite, `suite run ${i}`);
      suiteMs.push(suite.durationMs);
      perRun.push(JSON.parse(readFileSync(file, 'utf8')) as BenchStats);
      const floor = await runSuite({ args: ['-c', config] });
      check(floor, `floor run ${i}`);
      floorMs.push(floor.durationMs);
      process.stdout.write(`run ${i}/${runs}: suite ${(suite.durationMs / 1000).toFixed(1)} s, floor ${(floor.durationMs / 1000).toFixed(1)} s\n`);
    }
  } finally {
    rmSync(statsDir, { recursive: true, force: true });
    rmSync(join(config, '..'), { recursive: true, force: true });
  }

  const suite = median(suiteMs);
  const floor = median(floorMs);
  const last = perRun[perRun.length - 1];
  const tests = last.tests.filter((t) => t.project !== 'preflight');
  const logins = perRun.map((r) => r.exchanges.filter((e) => e.path === '/api/v2/auth/verify' && e.status === 200).length);
  const destroying = new Set(last.exchanges.filter((e) => e.method === 'POST' && e.path === '/api/v1/auth/logout' && e.status === 200).map((e) => e.test));
  const minting = new Set(last.exchanges.filter((e) => e.path === '/api/v2/auth/verify' && e.status === 200).map((e) => e.test));
  const tokenless = tests.filter((t) => !minting.has(t.title)).length;

  console.log('');
  console.log(`suite vs floor (median of ${runs}): ${(suite / 1000).toFixed(1)} s vs ${(floor / 1000).toFixed(1)} s = ${(suite / floor).toFixed(1)}x the framework's floor`);
  const firstStart = Math.min(...last.tests.map((t) => t.startMs));
  const span = Math.max(...last.tests.map((t) => t.startMs + t.durationMs)) - firstStart;
  const longest = Math.max(...last.tests.map((t) => t.durationMs));
  console.log(`tests: ${tests.length} + preflight; worker processes: ${new Set(last.tests.map((t) => t.workerIndex)).size}`);
  console.log(`test phase (first start to last end, last run): ${(span / 1000).toFixed(1)} s, of which the longest single test: ${(longest / 1000).toFixed(1)} s`);
  console.log(`logins (tokens minted) per run: ${logins.join(', ')}; tests that destroy a token: ${destroying.size}; tests that mint one: ${minting.size}; tests that mint none: ${tokenless}`);
  console.log('');
  console.log('latency per endpoint (all runs, ms):');
  const all = perRun.flatMap((r) => r.exchanges);
  const byEndpoint = new Map<string, number[]>();
  for (const e of all) {
    const key = `${e.method} ${e.path}`;
    byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), e.ms]);
  }
  const rows = [...byEndpoint.entries()].sort((a, b) => b[1].length - a[1].length);
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`  ${'endpoint'.padEnd(width)}  ${'n'.padStart(5)}  ${'p50'.padStart(6)}  ${'p95'.padStart(6)}  ${'max'.padStart(6)}`);
  for (const [key, values] of rows) {
    const fmt = (v: number): string => v.toFixed(1).padStart(6);
    console.log(`  ${key.padEnd(width)}  ${String(values.length).padStart(5)}  ${fmt(percentile(values, 50))}  ${fmt(percentile(values, 95))}  ${fmt(Math.max(...values))}`);
  }
  console.log('');
  console.log('slowest tests (last run):');
  const start = firstStart;
  for (const t of [...last.tests].sort((a, b) => b.durationMs - a.durationMs).slice(0, 6)) {
    console.log(`  ${(t.durationMs / 1000).toFixed(2).padStart(6)} s  starts at +${((t.startMs - start) / 1000).toFixed(1)} s, worker ${t.workerIndex}  ${t.title.slice(0, 90)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
