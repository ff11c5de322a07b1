/**
 * `npm run bench [-- --runs=N] [--no-npm-test]`: the suite's three costs, measured, set beside their
 * goals in docs/benchmarks.md (the one place they are stated) and printed: its logins (each costs a
 * rate-limited OTP email on staging), counted at the server in each of N runs (default 3); its wall
 * time in the same runs, beside a floor (the same config running one empty test); and one `npm test`
 * as a user runs it. `--no-npm-test` skips that, prints, and leaves docs/ as it is.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { EMBEDDED_OTP_COOLDOWN_MS } from '../helpers/embedded-emulator';
import { npmTestFigures, renderBenchmarks, type BenchFigures } from './bench-figures';
import { readReport, type ReportTest } from './json-report';
import { loginCounter } from './bench-login-count';
import { buildApp } from '../emulator/app';
import { ROOT } from '../helpers/repo-paths';
import { cleanEnv, runPlaywrightTest, runToEnd } from './scratch-run';
import { runScript } from './run-script';

const DOC = join(ROOT, 'docs', 'benchmarks.md');
const SELFTEST_REPORT = join(ROOT, 'reports', 'selftests.json');
const NPM_TEST_LOG = join(ROOT, 'test-results', 'bench-npm-test.log');

const runs = Number(/^--runs=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--runs=')) ?? '')?.[1] ?? 3);
const withNpmTest = !process.argv.includes('--no-npm-test');

/** A test's deliberate waits added up: its top-level steps titled `wait …`, the way the suite names its pauses. */
function waitMs(test: ReportTest): number {
  const steps = test.results.at(-1)?.steps ?? [];
  return steps.filter((s) => /^wait\b/i.test(s.title)).reduce((sum, s) => sum + s.duration, 0);
}

/** `playwright test` with the JSON reporter only (no HTML, JUnit or Allure writes); its tests' timings. */
async function playwright(what: string, args: string[], env: Record<string, string> = {}) {
  const run = await runPlaywrightTest({ args, env, reporters: [] });
  if (run.exitCode !== 0 || run.tests.length === 0 || run.tests.some((t) => t.status !== 'passed' && t.status !== 'skipped')) {
    throw new Error(`bench: ${what} did not pass (exit ${run.exitCode}); the bench measures a passing suite:\n${run.output.slice(-3000)}`);
  }
  return { ms: run.durationMs, tests: run.tests };
}

/**
 * The project's config with one empty test for the suite, in a git-ignored folder. Its webServer and
 * global setup stay (the preflight's login is part of the floor), their paths resolved from the repository.
 */
function floorConfig(): string {
  const dir = join(ROOT, 'test-results', `.bench-floor-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'floor.spec.ts'), "import { test } from '@playwright/test';\n\ntest('floor: an empty test', () => {});\n");
  writeFileSync(
    join(dir, 'floor.config.ts'),
    `import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import base from ${JSON.stringify(join(ROOT, 'playwright.config'))};

const root = ${JSON.stringify(ROOT)};
export default defineConfig({
  ...base,
  globalSetup: base.globalSetup && resolve(root, base.globalSetup),
  testDir: __dirname,
  projects: [{ name: 'floor' }],
  webServer: base.webServer && { ...base.webServer, cwd: root },
});
`,
  );
  return join(dir, 'floor.config.ts');
}

/** The suite against an emulator in this process, through TRANSAK_BASE_URL (a loopback target, judged like the embedded one). */
async function countLogins() {
  const app = buildApp({ otpCooldownMs: EMBEDDED_OTP_COOLDOWN_MS });
  const count = loginCounter(app);
  try {
    await playwright('the login count run', [], {
      TRANSAK_BASE_URL: await app.listen({ host: '127.0.0.1', port: 0 }),
      TRANSAK_OTP_COOLDOWN_MS: String(EMBEDDED_OTP_COOLDOWN_MS),
    });
    return count();
  } finally {
    await app.close();
  }
}

async function npmTest() {
  rmSync(SELFTEST_REPORT, { force: true });
  process.stdout.write(`npm test (output in ${NPM_TEST_LOG}) … `);
  // npm sets npm_execpath to its own CLI script: run under Node, no shell is needed to start it
  // (Windows refuses to spawn npm.cmd without one).
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli?.endsWith('.js') ? [process.execPath, [npmCli, 'test']] : ['npm', ['test']];
  const run = await runToEnd(command, args, {
    cwd: ROOT,
    env: { ...cleanEnv(), TRANSAK_ENV_FILE: join(tmpdir(), 'bench-no.env') },
    timeoutMs: 30 * 60_000,
  });
  mkdirSync(resolve(NPM_TEST_LOG, '..'), { recursive: true });
  writeFileSync(NPM_TEST_LOG, run.output);
  const report = readReport(SELFTEST_REPORT);
  if (!report) throw new Error(`bench: npm test wrote no ${SELFTEST_REPORT} (exit ${run.exitCode}); see ${NPM_TEST_LOG}`);
  process.stdout.write(`${(run.durationMs / 1000).toFixed(0)} s, exit ${run.exitCode}\n`);
  return npmTestFigures(run, report);
}

/** The commit measured, and whether tracked files differed from it (docs/benchmarks.md aside). */
function measuredCommit(): string {
  const git = (...args: string[]): string => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const sha = git('rev-parse', '--short', 'HEAD') || 'an unknown commit';
  const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs/benchmarks.md') !== '';
  return `commit ${sha}${changed ? ' with uncommitted changes' : ''}`;
}

async function main(): Promise<void> {
  const startLoad = loadavg()[0];
  const date = new Date();
  const config = floorConfig();
  const [suiteMs, floorMs, logins]: [number[], number[], BenchFigures['logins']] = [[], [], []];
  let lastSuite: ReportTest[] = [];
  try {
    for (let i = 1; i <= runs; i++) {
      const suite = await playwright(`suite run ${i}`, []);
      const floor = await playwright(`floor run ${i}`, ['-c', config]);
      // The suite hands live tokens on in whatever order its workers meet them: count every run.
      const count = await countLogins();
      suiteMs.push(suite.ms);
      floorMs.push(floor.ms);
      logins.push(count);
      lastSuite = suite.tests;
      process.stdout.write(
        `run ${i}/${runs}: suite ${(suite.ms / 1000).toFixed(1)} s (${suite.tests.length} tests), floor ${(floor.ms / 1000).toFixed(1)} s (${floor.tests.map((t) => t.project).join(' + ')}); at the server ${count.logins} logins, ${count.tokensDestroyed} tokens destroyed, ${count.otpSends} OTPs sent\n`,
      );
    }
  } finally {
    rmSync(join(config, '..'), { recursive: true, force: true });
  }
  const waiting = lastSuite.reduce((a, b) => (waitMs(b) > waitMs(a) ? b : a));
  if (waitMs(waiting) === 0)
    throw new Error(
      "bench: no test of the suite has a step titled 'wait …', where the bench reads the deliberate waits: name the pauses so",
    );

  const figures: BenchFigures = {
    date,
    commit: measuredCommit(),
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${type()} ${release()}, Node ${process.version}`,
    load: [startLoad, 0],
    runs,
    logins,
    suiteMs,
    floorMs,
    wait: { ms: waitMs(waiting), test: waiting.title },
    tests: lastSuite.length,
    npmTest: withNpmTest ? await npmTest() : undefined,
  };
  figures.load[1] = loadavg()[0];
  const text = renderBenchmarks(figures);
  console.log(`\n${text}`);
  if (withNpmTest) writeFileSync(DOC, text);
  console.log(withNpmTest ? `written to ${DOC}` : '(--no-npm-test: docs/benchmarks.md left as it is)');
}

runScript(main);
