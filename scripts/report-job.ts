/**
 * The nightly's report job, played on this machine: the shards' blobs merged into one HTML, JUnit
 * and JSON report (playwright.merge.config.ts), their allure-results into one Allure report, and the
 * suite's own count from `playwright test --list`. Used by `npm run rehearse` and the nightly self-test.
 */
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PLAYWRIGHT_CLI, TSX } from '../helpers/repo-paths';
import { runPlaywrightTest, runToEnd } from './scratch-run';

export interface ReportJob {
  /** A copy of the project, where the job runs. */
  reportJob: string;
  /** The runners' folders (a copy of the project each), in shard order. */
  runners: string[];
  env: NodeJS.ProcessEnv;
  /** Where the `--list` run's JSON report goes. */
  listFile: string;
  timeoutMs: number;
}

/**
 * Gathers the runners' outputs into `reportJob`, merges the blobs into one HTML, JUnit and JSON
 * report there, and counts the suite with `--list` (`listed`, with the nightly config); no Allure
 * report yet, only the shards' results folders for it (`resultDirs`).
 */
export async function mergeReports({ reportJob, runners, env, listFile, timeoutMs }: ReportJob) {
  mkdirSync(join(reportJob, 'all-blob-reports'));
  for (const blobs of runners.map((runner) => join(runner, 'blob-report')).filter((dir) => existsSync(dir)))
    cpSync(blobs, join(reportJob, 'all-blob-reports'), { recursive: true });
  // As download-artifact v5+ lays them out: one folder per shard, but a single shard's results
  // (the other one missing) straight into the folder itself.
  const root = join(reportJob, 'all-allure-results');
  const arrived = runners
    .map((runner, i) => ({ from: join(runner, 'allure-results'), shard: i + 1 }))
    .filter(({ from }) => existsSync(from));
  const resultDirs = arrived.map(({ from, shard }) => {
    const target = arrived.length === 1 ? root : join(root, `allure-results-${shard}`);
    cpSync(from, target, { recursive: true });
    return target;
  });
  const at = { cwd: reportJob, env, timeoutMs };
  const [merge, list] = await Promise.all([
    runToEnd(process.execPath, [PLAYWRIGHT_CLI, 'merge-reports', '-c', 'playwright.merge.config.ts', './all-blob-reports'], at),
    // --list runs the config's reporters too, and they would overwrite reports/: one JSON file elsewhere instead.
    runPlaywrightTest({ ...at, args: ['--list', '-c', 'playwright.nightly.config.ts'], reporters: [], jsonFile: listFile }),
  ]);
  return { merge, resultDirs, listed: list.exitCode === 0 ? list.tests.length : NaN };
}

/** The whole report job: the merged reports, then the behaviour fingerprint and the Allure report over the shards' results. */
export async function runReportJob(job: ReportJob) {
  const { reportJob, env, timeoutMs } = job;
  const merged = await mergeReports(job);
  const at = { cwd: reportJob, env, timeoutMs };
  // As the nightly's report job: the behaviour fingerprint over whatever shards arrived, before the report that shows it.
  const fingerprint = await runToEnd(process.execPath, [TSX, 'scripts/fingerprint.ts', 'all-allure-results'], at);
  const report = await runToEnd(process.execPath, [TSX, 'scripts/allure-report.ts', 'all-allure-results'], at);
  return { ...merged, fingerprint, report };
}
