/**
 * Runs the main job the way a user does, `npm run test:api`, against the embedded emulator, once per
 * self-test run, and hands its artifacts to the report self-tests.
 *
 * It runs in a copy of the project (node_modules linked; no reports, history, .env or .git) in the
 * system's temporary folder: the developer's own reports/ and allure-history/ stay as they were,
 * the project's test-results/ (where the self-tests write) is not wiped by this run, and the run
 * sees what a fresh clone sees. The result is cached beside the copy, so a second worker (after a
 * failure Playwright starts a new one) reuses it instead of running the job again.
 *
 * The environment is clean (no TRANSAK_*, LOGOUT_*, EMULATOR_*, PLAYWRIGHT_*; TRANSAK_ENV_FILE
 * names a file that does not exist) plus:
 * - a distinctive API key and 8-digit OTP, shared by suite and emulator, so a leak of either is
 *   unmistakable in the artifacts;
 * - EMULATOR_SECRETS_FILE, where the emulator lists every state token, OTP and access token it issued;
 * - LOGOUT_SLO_MS=1: no logout answers within 1 ms, so rule 8 fails and the run has a known failure
 *   (exit code 1, one failed test, one categorised contract violation) for the report to show.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Secret } from './leak-scan';

export const ROOT = join(__dirname, '..', '..');

/** What a fresh clone has not got, and what must never be copied around (a developer's .env). */
const NOT_COPIED = new Set(['node_modules', '.git', '.env', 'reports', 'allure-results', 'allure-report', 'allure-history', 'test-results', 'blob-report', 'playwright-report', 'selftests']);

/** The run's known failure: rule 8 against an objective no server meets. */
export const FAILING_RULE = 'R8';

export interface MainJobRun {
  /** The project copy the job ran in; its artifacts are under it. */
  dir: string;
  exitCode: number | null;
  output: string;
  durationMs: number;
  secrets: Secret[];
  /** Counts from reports/junit.xml's <testsuites> element. */
  junit: { tests: number; failures: number; skipped: number; errors: number };
}

/** Every artifact folder or file of the run, relative to its project copy. */
export const ARTIFACTS = ['allure-results', 'allure-history', 'reports/allure-report', 'reports/playwright-html', 'reports/junit.xml', 'reports/results.json', 'reports/summary.md', 'test-results'];

/** This process's environment without anything that would steer a run: the suite's, CI's and GitHub's variables. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(TRANSAK_|LOGOUT_|EMULATOR_|PLAYWRIGHT_|PW_|TEST_|ALLURE_|GITHUB_|GITLAB_|CI_)/.test(key) && key !== 'CI'),
  );
}

/** A copy of the project as a fresh clone has it (node_modules linked), in `dir`. */
export function copyProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  for (const entry of readdirSync(ROOT).filter((name) => !NOT_COPIED.has(name))) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

/** Runs a command to its end, output collected, killed after `timeoutMs`. */
export async function runToEnd(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ exitCode: number | null; output: string }> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exitCode = await new Promise<number | null>((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
  return { exitCode, output };
}

export function readJunitCounts(xml: string): MainJobRun['junit'] {
  const element = /<testsuites\b[^>]*>/.exec(xml)?.[0];
  if (element === undefined) throw new Error('reports/junit.xml has no <testsuites> element');
  const count = (name: string): number => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(element)?.[1] ?? NaN);
  return { tests: count('tests'), failures: count('failures'), skipped: count('skipped'), errors: count('errors') };
}

async function runJob(cacheDir: string): Promise<MainJobRun> {
  const dir = join(cacheDir, 'project');
  copyProject(dir);

  const secretsFile = join(cacheDir, 'issued-secrets.txt');
  writeFileSync(secretsFile, '');
  const apiKey = `qa-report-check-${randomBytes(12).toString('hex')}`;
  const otp = String(randomInt(10_000_000, 100_000_000));
  const env = {
    ...cleanEnv(),
    FORCE_COLOR: '0',
    TRANSAK_ENV_FILE: join(cacheDir, 'no.env'),
    TRANSAK_API_KEY: apiKey,
    EMULATOR_API_KEY: apiKey,
    TRANSAK_OTP: otp,
    EMULATOR_OTP: otp,
    EMULATOR_SECRETS_FILE: secretsFile,
    LOGOUT_SLO_MS: '1',
  };
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const job = await runToEnd(npm, ['run', 'test:api'], { cwd: dir, env, timeoutMs: 240_000 });
  // The page QA reads in CI, from the same run: its leaks are scanned with the rest.
  const summary = await runToEnd(npm, ['run', 'summary'], { cwd: dir, env, timeoutMs: 60_000 });
  const { exitCode } = job;
  const output = `${job.output}${summary.output}`;
  const issued = readFileSync(secretsFile, 'utf8').split('\n').filter((line) => line !== '');
  const secrets: Secret[] = [
    { kind: 'API key', value: apiKey },
    { kind: 'OTP', value: otp },
    ...issued.map((value) => ({ kind: value === otp ? 'OTP' : value.startsWith('eyJ') ? 'access token' : 'state token', value })),
  ];
  const junitPath = join(dir, 'reports', 'junit.xml');
  const junit = existsSync(junitPath) ? readJunitCounts(readFileSync(junitPath, 'utf8')) : { tests: NaN, failures: NaN, skipped: NaN, errors: NaN };
  return { dir, exitCode, output, durationMs: Date.now() - started, secrets, junit };
}

const CACHE_PREFIX = 'logout-suite-report-selftest-';

/**
 * The main job's run for this self-test run: run now, or read from the cache a previous worker of
 * the same run left. Workers are children of the runner, so the runner's pid keys the run. The cache
 * lives in the system's temporary folder, not under test-results/: any Playwright run of this
 * project (another engineer's `npm test`, say) empties test-results/ when it starts.
 */
export async function mainJobRun(): Promise<MainJobRun> {
  const cacheDir = join(tmpdir(), `${CACHE_PREFIX}${process.ppid}`);
  const cached = join(cacheDir, 'run.json');
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as MainJobRun;
  removeStaleRuns();
  mkdirSync(cacheDir, { recursive: true });
  const run = await runJob(cacheDir);
  writeFileSync(cached, JSON.stringify(run));
  return run;
}

/** Copies older than two hours are from finished self-test runs. */
function removeStaleRuns(): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(CACHE_PREFIX))) {
    const path = join(tmpdir(), name);
    try {
      if (Date.now() - statSync(path).mtimeMs > 2 * 60 * 60 * 1000) rmSync(path, { recursive: true, force: true });
    } catch {
      // another run removed it first
    }
  }
}
