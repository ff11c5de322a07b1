/**
 * A night with a shard missing, played with the report job's own commands: the job summary and the
 * notification decision from what the shards left (scripts/job-summary.ts with --listed and
 * --shard-jobs, scripts/night-completeness.ts), and the Allure report built from one shard's
 * results laid out as download-artifact v5+ lays out a single artifact (straight into the folder).
 * Each is also run the way the workflow ran it before, and must show the defect.
 */
import { expect, test } from '../fixtures';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { summarize } from '../../scripts/job-summary';
import { judgeCompleteness } from '../../scripts/night-completeness';
import { TSX } from '../../helpers/repo-paths';
import { resultsDirsIn } from '../../scripts/allure-report';
import { cleanEnv, copyProject } from '../../scripts/scratch-run';
import { githubOutputs, report, runSummary, spec } from './summary-inputs';

/** A Playwright JSON report of `passed` passing tests (and `flaky` flaky ones). */
const jsonReport = (passed: number, flaky = 0) =>
  report([
    ...Array.from({ length: passed }, (_, i) => spec(`test ${i}`, ['R1'], 'expected')),
    ...Array.from({ length: flaky }, (_, i) => spec(`flaky ${i}`, ['R1'], 'flaky', ['first attempt failed'])),
  ]);

/** `npm run summary` as the report job runs it, in `dir`; returns GitHub's outputs and the page. */
function summaryStep(dir: string, args: string[]) {
  const [output, page] = [join(dir, `output-${args.length}.txt`), join(dir, `summary-${args.length}.md`)];
  writeFileSync(output, '');
  writeFileSync(page, '');
  const run = runSummary(['--report', join(dir, 'results.json'), ...args], { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: page });
  return { outputs: githubOutputs(output), page: readFileSync(page, 'utf8'), status: run.status };
}

test('a night with a shard missing is red and notifies; read from the merged results alone it said green', ({}, testInfo) => {
  const dir = testInfo.outputPath();
  // Shard 2 never uploaded its blob: the merge holds shard 1's 3 tests of the suite's 6.
  writeFileSync(join(dir, 'results.json'), JSON.stringify(jsonReport(3)));
  writeFileSync(join(dir, 'list.json'), JSON.stringify(jsonReport(6)));

  const judged = summaryStep(dir, ['--listed', join(dir, 'list.json'), '--shard-jobs', 'failure']);
  const mergedOnly = summaryStep(dir, []);
  expect(judged.status).toBe(0);
  expect(judged.outputs).toEqual({
    colour: 'red',
    notify: 'true',
    headline:
      "❌ Logout User API: incomplete: the merged results hold 3 of the 6 tests --list counts: a shard's results are missing; all 3 tests passed",
  });
  expect(judged.page).toContain('### Run errors (outside any test)');
  expect(judged.page).toContain('a shard job ended "failure" though the results it uploaded show no failure');

  expect(mergedOnly.outputs, 'the defect: the merged results alone').toEqual({
    colour: 'green',
    notify: 'false',
    headline: '✅ Logout User API: all 3 tests passed',
  });
});

test('the completeness judgement: whole and green stays green; a flaky night stays flaky; an uncounted suite is red', () => {
  const green = summarize(jsonReport(6));
  expect(judgeCompleteness(green, { listed: 6, shardJobs: 'success' })).toBe(green);
  expect(judgeCompleteness(green, {}), 'a single run (the gate) passes no evidence').toBe(green);
  const flaky = summarize(jsonReport(5, 1));
  expect(judgeCompleteness(flaky, { listed: 6, shardJobs: 'failure' }).colour, 'failOnFlakyTests makes a shard job red: explained').toBe(
    'flaky',
  );
  expect(judgeCompleteness(green, { listed: 6, shardJobs: 'cancelled' })).toMatchObject({
    colour: 'red',
    incomplete: 'a shard job ended "cancelled" though the results it uploaded show no failure: read that shard\'s log',
  });
  expect(judgeCompleteness(green, { listed: NaN, shardJobs: 'success' })).toMatchObject({
    colour: 'red',
    incomplete: 'the suite could not be counted (playwright test --list failed), so a missing shard would go unseen',
  });
  expect(judgeCompleteness(flaky, { listed: 7, shardJobs: 'failure' })).toMatchObject({
    colour: 'red',
    runErrors: ["the merged results hold 6 of the 7 tests --list counts: a shard's results are missing"],
  });
});

test('the Allure report is built from one shard’s results unpacked straight into the download folder', async ({}, testInfo) => {
  const project = testInfo.outputPath('report-job');
  copyProject(project);
  const flat = join(project, 'all-allure-results');
  mkdirSync(flat, { recursive: true });
  for (const [i, status] of ['passed', 'failed'].entries()) {
    const uuid = `0000000${i}-0000-4000-8000-000000000000`;
    const result = { uuid, historyId: `h${i}`, name: `test ${i}`, fullName: `a.spec.ts#test ${i}`, status, stage: 'finished' };
    const empty = { labels: [], steps: [], attachments: [], parameters: [], links: [] };
    writeFileSync(join(flat, `${uuid}-result.json`), JSON.stringify({ ...result, start: 1_000, stop: 2_000, ...empty }));
  }
  writeFileSync(join(flat, 'environment.properties'), 'Target\\ host=staging\n');
  const report = (args: string[]) =>
    spawnSync(process.execPath, [TSX, 'scripts/allure-report.ts', ...args], { cwd: project, env: cleanEnv(), encoding: 'utf8' });

  const asTheWorkflowCallsIt = report(['all-allure-results']);
  expect(asTheWorkflowCallsIt.status, asTheWorkflowCallsIt.stdout + asTheWorkflowCallsIt.stderr).toBe(0);
  expect(asTheWorkflowCallsIt.stdout).toMatch(/^Allure report \(2 results\): reports\/allure-report\/index\.html/);

  // A shell glob over the flat layout names files: each stands for its folder, so the command is given the very
  // folder it just built the report from (resolved as its command line resolves them).
  const globbed = readdirSync(flat).map((name) => resolve(project, 'all-allure-results', name));
  expect(resultsDirsIn(globbed), 'a shell glob over the flat layout names files: each stands for its folder').toEqual(
    resultsDirsIn([resolve(project, 'all-allure-results')]),
  );
  expect(resultsDirsIn(globbed)).toEqual([flat]);

  // The defect: the report step read every entry of the download folder as a shard's folder
  // (`all-allure-results/*`), and reading a file as a folder throws.
  const entries = readdirSync(flat).map((name) => join(flat, name));
  expect(() => entries.map((entry) => readdirSync(entry))).toThrow(/ENOTDIR/);
});
