/**
 * The nightly, played on this machine as GitHub runs it, once per self-test run (cached for a
 * second worker, as main-job.ts does):
 * - two "runners", copies of the project side by side, each running playwright.nightly.config.ts
 *   with `--shard=i/2` and PW_BLOB=1 against its own embedded emulator, with GitHub's variables of
 *   a caller's run (acme/payments, run 4242) and a .git naming another commit than the caller's;
 * - in both, a planted test (tagged @R5) that fails its first attempt, with a JWT-shaped string in
 *   its message, and passes its retry; and rule 8 failing on purpose (LOGOUT_SLO_MS=1);
 * - the report job's own commands in a third copy (scripts/report-job.ts), then `npm run summary`;
 * - two reports with a bug planted, for the checks to catch: a merge that counts shard 1 twice
 *   with JUnit's retries left out, and an Allure report whose results lost their flaky flag.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAYWRIGHT_CLI, TSX } from '../../helpers/repo-paths';
import { runReportJob } from '../../scripts/report-job';
import { cleanEnv, copyProject, oncePerSelfTestRun, runPlaywrightTest, runToEnd } from '../../scripts/scratch-run';

export const PLANTED_TITLE = 'planted: fails its first attempt, passes its retry';
export const PLANTED_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkQHFhLnRlc3QifQ.cGxhbnRlZC1zaWduYXR1cmU';
export const CALLER = { repository: 'acme/payments', sha: 'c0ffee'.repeat(6) + 'c0ff', runId: '4242', attempt: '3' };
export const SUITE_SHA = 'feedbeef'.repeat(5);
export const RUN_URL = `https://github.com/${CALLER.repository}/actions/runs/${CALLER.runId}`;

const PLANTED_SPEC = `import { describeRule, test } from '../helpers/fixtures';

describeRule('R5', () => {
  test('${PLANTED_TITLE}', async ({}, testInfo) => {
    if (testInfo.retry === 0) throw new Error('planted flaky failure; a token in the message: ${PLANTED_JWT}');
  });
});
`;

export type NightlyRun = Awaited<ReturnType<typeof play>>;

async function play(cacheDir: string) {
  const started = Date.now();
  const { repository: GITHUB_REPOSITORY, sha: GITHUB_SHA, runId: GITHUB_RUN_ID, attempt: GITHUB_RUN_ATTEMPT } = CALLER;
  const github = {
    GITHUB_ACTIONS: 'true',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY,
    GITHUB_SHA,
    GITHUB_RUN_ID,
    GITHUB_RUN_ATTEMPT,
  };
  const env = { ...cleanEnv(), ...github, FORCE_COLOR: '0', TRANSAK_ENV_FILE: join(cacheDir, 'no.env') };
  const copies = ['report-job', 'runner-1', 'runner-2'].map((name) => join(cacheDir, name));
  for (const dir of copies) {
    copyProject(dir);
    writeFileSync(join(dir, 'tests', 'zz-planted-flaky.spec.ts'), PLANTED_SPEC);
  }
  const [reportJob, ...runners] = copies;
  for (const dir of runners) {
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), `${SUITE_SHA}\n`);
  }

  const shards = await Promise.all(
    runners.map((dir, i) =>
      runPlaywrightTest({
        cwd: dir,
        env: { ...env, PW_BLOB: '1', LOGOUT_SLO_MS: '1' },
        args: ['-c', 'playwright.nightly.config.ts', `--shard=${i + 1}/2`],
        timeoutMs: 150_000,
      }),
    ),
  );

  const listFile = join(cacheDir, 'list.json');
  const { merge, report, resultDirs, listed } = await runReportJob({ reportJob, runners, env, listFile, timeoutMs: 60_000 });
  const stepSummaryFile = join(reportJob, 'github-step-summary.md');
  const outputFile = join(reportJob, 'github-output.txt');
  writeFileSync(stepSummaryFile, '');
  // As the workflow calls it: the suite's --list count, and the shard jobs' result (both shards red).
  const shardJobs = shards.every((s) => s.exitCode === 0) ? 'success' : 'failure';
  const page = ['--title', 'Nightly run against staging', '--link', 'Allure report (one HTML file)=https://example.invalid/allure.html'];
  const summaryArgs = [...page, '--listed', listFile, '--shard-jobs', shardJobs];
  const summary = await runToEnd(process.execPath, [TSX, 'scripts/job-summary.ts', ...summaryArgs], {
    cwd: reportJob,
    env: { ...env, GITHUB_STEP_SUMMARY: stepSummaryFile, GITHUB_OUTPUT: outputFile },
    timeoutMs: 60_000,
  });
  const mutants = await plantBugs(reportJob, resultDirs, env);
  // dir: the report job's copy, with reports/, all-allure-results/ and the summary files; listed: `playwright test --list`'s count.
  return { dir: reportJob, mutants, shards, merge, report, summary, listed, stepSummaryFile, outputFile, durationMs: Date.now() - started };
}

/** The planted bugs' reports, under the report job's copy. */
async function plantBugs(reportJob: string, resultDirs: string[], env: NodeJS.ProcessEnv) {
  const blobs = join(reportJob, 'mutant-blob-reports');
  cpSync(join(reportJob, 'all-blob-reports'), blobs, { recursive: true });
  cpSync(join(blobs, 'report-1.zip'), join(blobs, 'report-3.zip'));
  const out = (name: string) => join(reportJob, 'mutant', name);
  const files = { html: out('playwright-html'), junit: out('junit.xml'), json: out('results.json'), allure: out('allure-report') };
  const doubledMerge = await runToEnd(process.execPath, [PLAYWRIGHT_CLI, 'merge-reports', '-c', 'playwright.merge.config.ts', blobs], {
    cwd: reportJob,
    env: {
      ...env,
      PLAYWRIGHT_HTML_OUTPUT_DIR: files.html,
      PLAYWRIGHT_JUNIT_OUTPUT_FILE: files.junit,
      PLAYWRIGHT_JSON_OUTPUT_FILE: files.json,
      PLAYWRIGHT_JUNIT_INCLUDE_RETRIES: '0',
    },
    timeoutMs: 60_000,
  });
  const unflagged = resultDirs.map((dir, i) => {
    const target = out(`allure-results-${i + 1}`);
    cpSync(dir, target, { recursive: true });
    for (const name of readdirSync(target).filter((f) => f.endsWith('-result.json'))) {
      const result = JSON.parse(readFileSync(join(target, name), 'utf8')) as { statusDetails?: { flaky?: boolean } };
      delete result.statusDetails?.flaky;
      writeFileSync(join(target, name), JSON.stringify(result));
    }
    return target;
  });
  // The project's allurerc would append this build to the trend: a bare single-file config instead.
  writeFileSync(out('allurerc.mjs'), 'export default { plugins: { awesome: { options: { singleFile: true } } } };\n');
  const allureArgs = ['generate', ...unflagged, '--config', out('allurerc.mjs'), '--output', files.allure];
  const allureCli = join(reportJob, 'node_modules', 'allure', 'cli.js');
  const unflaggedAllure = await runToEnd(process.execPath, [allureCli, ...allureArgs], { cwd: reportJob, env, timeoutMs: 60_000 });
  return { doubledMerge, unflaggedAllure, ...files, html: join(files.html, 'index.html'), allure: join(files.allure, 'index.html') };
}

/** The nightly's play for this self-test run (played once, shared with a second worker). */
export function nightlyRun(): Promise<NightlyRun> {
  return oncePerSelfTestRun('logout-suite-nightly-selftest-', play);
}
