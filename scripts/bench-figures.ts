/**
 * The figures of `npm run bench` beside their goals (one login per token the run must destroy, and one
 * more; no slower than the floor and the deliberate waits; npm test within 5 minutes), and their one
 * written form, docs/benchmarks.md. Pure functions: scripts/bench.ts measures.
 */
import { testsOf, type JSONReport } from './json-report';
import type { LoginCount } from './bench-login-count';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** Staging sends one OTP per address a minute: the night lasts about ceil(OTPs / addresses) minutes. */
const OTP_INTERVAL_MS = 60_000;
const POOL_SIZES = [4, 8, 12] as const;

export function stagingWallMs(otpSends: number, addresses: number): number {
  return Math.ceil(otpSends / addresses) * OTP_INTERVAL_MS;
}

/** Each self-test project's share of an `npm test` run: its span, its worker time, its slowest test. */
export function projectTimes(report: JSONReport) {
  const runs = testsOf(report).flatMap(({ project, title, results }) =>
    results.map((r) => ({ project, title, start: Date.parse(r.startTime), ms: r.duration })),
  );
  return [...new Set(runs.map((r) => r.project))].map((project) => {
    const own = runs.filter((r) => r.project === project);
    const slowest = own.reduce((a, b) => (b.ms > a.ms ? b : a));
    return {
      project,
      tests: own.length,
      spanMs: Math.max(...own.map((r) => r.start + r.ms)) - Math.min(...own.map((r) => r.start)),
      busyMs: own.reduce((sum, r) => sum + r.ms, 0),
      slowest: { title: slowest.title, ms: slowest.ms },
    };
  });
}

export interface BenchFigures {
  date: Date;
  /** What was measured: the commit, and whether the work tree differed from it. */
  commit: string;
  machine: string;
  /** Load average (1 min) when the bench started and when it ended: the machine may be shared. */
  load: [number, number];
  runs: number;
  logins: LoginCount[];
  suiteMs: number[];
  floorMs: number[];
  /** The longest deliberate wait of one test (its `wait …` steps), and that test. */
  wait: { ms: number; test: string };
  tests: number;
  npmTest?: ReturnType<typeof npmTestFigures>;
}

/** One `npm test` as its process and its JSON report saw it. */
export function npmTestFigures({ durationMs, exitCode }: { durationMs: number; exitCode: number | null }, report: JSONReport) {
  const { expected, unexpected, flaky, skipped, duration } = report.stats;
  const projects = projectTimes(report);
  return { ms: durationMs, exitCode, passed: expected, failed: unexpected + flaky, skipped, playwrightMs: duration, projects };
}

const NPM_TEST_GOAL_MS = 5 * 60_000;
/** The slack over the floor and the longest wait: a run costs its waits, and only scheduling besides. */
const WALL_SLACK_MS = 1000;

const metCell = (met: boolean): string => (met ? 'met' : '**not met**');
const FIGURE_TABLE = ['| figure | measured | goal | |', '|---|---|---|---|'];

export function renderBenchmarks(f: BenchFigures): string {
  const mostOtps = Math.max(...f.logins.map((c) => c.otpSends));
  const loginsMet = f.logins.every((c) => c.logins <= c.tokensDestroyed + 1);
  const suite = median(f.suiteMs);
  const floor = median(f.floorMs);
  const wallGoal = floor + f.wait.ms + WALL_SLACK_MS;
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (scripts/bench.ts) on ${f.date.toISOString().replace(/\.\d+Z$/, 'Z')} at ${f.commit}, on ${f.machine}; load average ${f.load[0].toFixed(1)} at the start, ${f.load[1].toFixed(1)} at the end.`,
    'Each figure is measured by that script and written only here: run it again rather than edit this file.',
    '',
    '## 1. Logins per run (the staging cost)',
    '',
    'Counted by the server: the suite runs against an emulator in the bench process whose response hook counts Send User OTP and Verify User OTP',
    'answered 200, and the distinct access tokens a POST logout answered 200 for (held as hashes in memory only).',
    '',
    ...FIGURE_TABLE,
    `| logins (Verify User OTP → 200), each of ${f.logins.length} run(s) | ${f.logins.map((c) => c.logins).join(', ')} | ≤ tokens destroyed + 1 = ${f.logins.map((c) => c.tokensDestroyed + 1).join(', ')} | ${metCell(loginsMet)} |`,
    `| tokens the run must destroy (distinct tokens with a 200 logout) | ${f.logins.map((c) => c.tokensDestroyed).join(', ')} | | |`,
    `| OTPs sent (Send User OTP → 200) | ${f.logins.map((c) => c.otpSends).join(', ')} | | |`,
    '',
    `Staging wall time it implies, \`ceil(OTPs / addresses) × 60 s\` with ${mostOtps} OTPs (the most of the runs): ${POOL_SIZES.map((n) => `${n} addresses ${minutes(stagingWallMs(mostOtps, n))}`).join('; ')}.`,
    '',
    '## 2. The suite against the embedded emulator',
    '',
    `The project's config, \`playwright test\` from process start to exit, ${f.tests} tests. The floor is the same config running one empty test`,
    "(process start, the emulator's start and stop, the preflight's login, reporters).",
    '',
    ...FIGURE_TABLE,
    `| suite wall time, median of ${f.runs} | ${seconds(suite)} (${f.suiteMs.map(seconds).join(', ')}) | ≤ floor + longest deliberate wait + 1 s = ${seconds(wallGoal)} | ${metCell(suite <= wallGoal)} (${suite <= wallGoal ? '' : '+'}${seconds(suite - wallGoal)}) |`,
    `| floor, median of ${f.runs} | ${seconds(floor)} (${f.floorMs.map(seconds).join(', ')}) | | |`,
    `| longest deliberate wait (a test's \`wait …\` steps) | ${seconds(f.wait.ms)}: ${f.wait.test} | | |`,
    '',
    '## 3. `npm test`',
    '',
  ];
  if (f.npmTest === undefined) {
    lines.push('Not measured in this run (`--no-npm-test`).', '');
  } else {
    const t = f.npmTest;
    lines.push(
      ...FIGURE_TABLE,
      `| \`npm test\`, whole command (exit ${t.exitCode}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped) | ${minutes(t.ms)} | ≤ 5 min | ${metCell(t.ms <= NPM_TEST_GOAL_MS && t.exitCode === 0)} |`,
      `| of which the self-tests (Playwright's own duration) | ${minutes(t.playwrightMs)} | | |`,
      '',
      'Per self-test project (projects share the workers, so their spans overlap):',
      '',
      '| project | tests | span (first start to last end) | worker time (tests added up) | slowest test |',
      '|---|---|---|---|---|',
      ...[...t.projects]
        .sort((a, b) => b.busyMs - a.busyMs)
        .map(
          (p) =>
            `| ${p.project} | ${p.tests} | ${seconds(p.spanMs)} | ${seconds(p.busyMs)} | ${seconds(p.slowest.ms)}: ${p.slowest.title.replace(/\|/g, '\\|').slice(0, 90)} |`,
        ),
      '',
    );
  }
  return lines.join('\n');
}
