/**
 * Runs the main job as a user does, `npm run test:api` against the embedded emulator, once per
 * self-test run, in a copy of the project (scratch-run.ts): the developer's reports/ and
 * allure-history/ stay as they were, the self-tests' test-results/ is not wiped, and the run sees
 * what a fresh clone sees. Its environment is clean (TRANSAK_ENV_FILE names no file) plus:
 * - an API key and 8-digit OTP of its own, shared by suite and emulator, so a leak is unmistakable;
 * - EMULATOR_SECRETS_FILE, where the emulator lists every state token, OTP and access token it issued;
 * - LOGOUT_SLO_MS=1: no logout answers within 1 ms, so rule 8 fails and the run has a known failure
 *   (exit code 1, one failed test, one categorised contract violation) for the report to show.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretProject } from './leak-scan';
import { readJunitCounts } from './report-readers';
import { oncePerSelfTestRun, runToEnd } from '../../scripts/scratch-run';

export const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The run's known failure: rule 8 against an objective no server meets. */
export const FAILING_RULE = 'R8';

export type MainJobRun = Awaited<ReturnType<typeof runJob>>;

/** Every artifact folder or file of the run, relative to its project copy. */
const REPORTS = [
  'allure-report',
  'playwright-html',
  'junit.xml',
  'results.json',
  'summary.md',
  'fingerprint.json',
  'fingerprint-changes.json',
];
export const ARTIFACTS = ['allure-results', 'allure-history', ...REPORTS.map((name) => `reports/${name}`), 'test-results'];

async function runJob(cacheDir: string) {
  const planted = secretProject(cacheDir, 'report');
  const { dir } = planted;
  const env = { ...planted.suiteEnv, ...planted.emulatorEnv, LOGOUT_SLO_MS: '1' };
  const started = Date.now();
  const job = await runToEnd(NPM, ['run', 'test:api'], { cwd: dir, env, timeoutMs: 240_000 });
  // The page QA reads in CI, from the same run: its leaks are scanned with the rest.
  const summary = await runToEnd(NPM, ['run', 'summary'], { cwd: dir, env, timeoutMs: 60_000 });
  const junitPath = join(dir, 'reports', 'junit.xml');
  const junit = readJunitCounts(existsSync(junitPath) ? readFileSync(junitPath, 'utf8') : '');
  // dir: the project copy the job ran in, its artifacts under it.
  return {
    dir,
    exitCode: job.exitCode,
    output: `${job.output}${summary.output}`,
    durationMs: Date.now() - started,
    secrets: planted.all(),
    junit,
  };
}

/** The main job's run for this self-test run (run once, shared with a second worker). */
export function mainJobRun(): Promise<MainJobRun> {
  return oncePerSelfTestRun('logout-suite-report-selftest-', runJob);
}
