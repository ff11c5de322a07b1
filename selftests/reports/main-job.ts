/**
 * Runs the main job the way a user does, `npm run test:api`, against the embedded emulator, once per
 * self-test run, and hands its artifacts to the report self-tests.
 *
 * It runs in a copy of the project (scratch-run.ts): the developer's own reports/ and
 * allure-history/ stay as they were, the project's test-results/ (where the self-tests write) is
 * not wiped by this run, and the run sees what a fresh clone sees. It runs once per self-test run.
 *
 * The environment is clean (no TRANSAK_*, LOGOUT_*, EMULATOR_*, PLAYWRIGHT_*; TRANSAK_ENV_FILE
 * names a file that does not exist) plus:
 * - a distinctive API key and 8-digit OTP, shared by suite and emulator, so a leak of either is
 *   unmistakable in the artifacts;
 * - EMULATOR_SECRETS_FILE, where the emulator lists every state token, OTP and access token it issued;
 * - LOGOUT_SLO_MS=1: no logout answers within 1 ms, so rule 8 fails and the run has a known failure
 *   (exit code 1, one failed test, one categorised contract violation) for the report to show.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretProject } from './leak-scan';
import { readJunitCounts } from './report-readers';
import { oncePerSelfTestRun, runToEnd } from '../../scripts/scratch-run';

/** The run's known failure: rule 8 against an objective no server meets. */
export const FAILING_RULE = 'R8';

export type MainJobRun = Awaited<ReturnType<typeof runJob>>;

/** Every artifact folder or file of the run, relative to its project copy. */
export const ARTIFACTS = [
  'allure-results',
  'allure-history',
  'reports/allure-report',
  'reports/playwright-html',
  'reports/junit.xml',
  'reports/results.json',
  'reports/summary.md',
  'reports/fingerprint.json',
  'reports/fingerprint-changes.json',
  'test-results',
];

async function runJob(cacheDir: string) {
  const planted = secretProject(cacheDir, 'report');
  const { dir } = planted;
  const env = {
    ...planted.suiteEnv,
    ...planted.emulatorEnv,
    LOGOUT_SLO_MS: '1',
  };
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const job = await runToEnd(npm, ['run', 'test:api'], { cwd: dir, env, timeoutMs: 240_000 });
  // The page QA reads in CI, from the same run: its leaks are scanned with the rest.
  const summary = await runToEnd(npm, ['run', 'summary'], { cwd: dir, env, timeoutMs: 60_000 });
  const { exitCode } = job;
  const output = `${job.output}${summary.output}`;
  const secrets = planted.all();
  const junitPath = join(dir, 'reports', 'junit.xml');
  const noJunit = { tests: NaN, failures: NaN, skipped: NaN, errors: NaN };
  const junit = existsSync(junitPath) ? readJunitCounts(readFileSync(junitPath, 'utf8')) : noJunit;
  // dir: the project copy the job ran in, its artifacts under it; junit: reports/junit.xml's counts.
  return { dir, exitCode, output, durationMs: Date.now() - started, secrets, junit };
}

/** The main job's run for this self-test run (run once, shared with a second worker). */
export function mainJobRun(): Promise<MainJobRun> {
  return oncePerSelfTestRun('logout-suite-report-selftest-', runJob);
}
