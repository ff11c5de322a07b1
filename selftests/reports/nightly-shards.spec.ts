/**
 * The nightly played on this machine (nightly-run.ts). Every report tells the same story: the
 * totals of the suite's `--list` (nothing counted twice), the flaky test flaky everywhere, one
 * environment block for the run, and the CI run and the caller's commit told apart from the
 * suite's. Each check is also run on a report with its bug planted, and must catch it.
 */
import { expect, test } from '../fixtures';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport } from '../../scripts/json-report';
import { CALLER, nightlyRun, PLANTED_JWT, PLANTED_TITLE, RUN_URL, SUITE_SHA, type NightlyRun } from './nightly-run';
import { allureEmbeddedFiles, allureJson, playwrightHtmlStats, readJunitCounts, summaryCounts } from './report-readers';

// One play for all the tests of this file, in order, in one worker.
test.describe.configure({ mode: 'default' });

let run: NightlyRun;
const at = (path: string) => join(run.dir, path);
const read = (path: string) => readFileSync(path.startsWith('/') ? path : at(path), 'utf8');

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(240_000);
  run = await nightlyRun();
});

/** The report job's own reports. */
const reports = () => ({
  html: at('reports/playwright-html/index.html'),
  json: at('reports/results.json'),
  junit: at('reports/junit.xml'),
  allure: at('reports/allure-report/index.html'),
});

/** The counts every report is said in: the job summary's. */
type Counts = ReturnType<typeof summaryCounts>;

type ReportFiles = Record<'html' | 'json' | 'junit' | 'allure', string> & { summary?: string };

type AllureStatistic = Partial<Record<'total' | 'passed' | 'failed' | 'broken' | 'flaky' | 'skipped', number>>;

/**
 * Each report's counts, said the same way. JUnit has no flaky count (a flaky test is a passed
 * testcase with a <flakyError> or <flakyFailure> inside); Allure counts a flaky test among the
 * passed ones and flags it, so it is moved to flaky here.
 */
function countsOf(files: ReportFiles): Record<string, Partial<Counts>> {
  const html = playwrightHtmlStats(files.html);
  const json = readReport(files.json)!.stats;
  const junit = readJunitCounts(read(files.junit));
  const allure = allureJson<AllureStatistic>(allureEmbeddedFiles(files.allure), 'widgets/statistic.json');
  const counts: Record<string, Partial<Counts>> = {
    'HTML report': { total: html.total, passed: html.expected, failed: html.unexpected, flaky: html.flaky, skipped: html.skipped },
    JSON: {
      total: json.expected + json.unexpected + json.flaky + json.skipped,
      passed: json.expected,
      failed: json.unexpected,
      flaky: json.flaky,
      skipped: json.skipped,
    },
    JUnit: { total: junit.tests, failed: junit.failures + junit.errors, skipped: junit.skipped },
    Allure: {
      total: allure.total,
      passed: (allure.passed ?? 0) - (allure.flaky ?? 0),
      failed: (allure.failed ?? 0) + (allure.broken ?? 0),
      flaky: allure.flaky ?? 0,
      skipped: allure.skipped ?? 0,
    },
  };
  if (files.summary) counts['job summary'] = summaryCounts(read(files.summary));
  return counts;
}

/** Where a report's counts differ from the run's: `listed` tests, one failed, one flaky. */
function disagreements(counts: Record<string, Partial<Counts>>, listed: number): string[] {
  const truth: Counts = { total: listed, passed: listed - 2, failed: 1, flaky: 1, skipped: 0 };
  return Object.entries(counts).flatMap(([report, c]) =>
    Object.entries(c)
      .filter(([key, value]) => value !== truth[key as keyof Counts])
      .map(([key, value]) => `${report}: ${key} ${value}, expected ${truth[key as keyof Counts]}`),
  );
}

/** How each report shows the planted test: flaky, or not. */
function plantedShownAs(files: Pick<ReportFiles, 'junit' | 'allure'>): { junit: string; allure: string } {
  const testcase = new RegExp(`<testcase name="[^"]*${PLANTED_TITLE}"[\\s\\S]*?</testcase>`).exec(read(files.junit))?.[0] ?? '';
  // Surefire's format: <flakyFailure> for a failed expect, <flakyError> for a thrown error.
  const flaky = /<flaky(Failure|Error) message="planted flaky failure/.test(testcase) ? 'flaky' : 'passed';
  const junit = /<(failure|error)\b/.test(testcase) ? 'failed' : flaky;
  const results = [...allureEmbeddedFiles(files.allure)]
    .filter(([path]) => path.startsWith('data/test-results/'))
    .map(([, text]) => JSON.parse(text) as { name: string; status: string; flaky: boolean; isRetry: boolean });
  // The failed first attempt is kept as a retry of the test's result (isRetry): the result is the last attempt.
  const planted = results.find((r) => r.name === PLANTED_TITLE && !r.isRetry);
  return { junit, allure: planted === undefined ? 'missing' : planted.flaky ? `flaky (${planted.status})` : planted.status };
}

test('the shards and the report job’s commands ran: red (one failure, one flaky test), every report written', async ({}, testInfo) => {
  const log = [
    ...run.shards.map((s, i) => `--- shard ${i + 1}/2 (exit ${s.exitCode})\n${s.output}`),
    `--- merge\n${run.merge.output}`,
    `--- report\n${run.report.output}`,
    `--- summary\n${run.summary.output}`,
  ].join('\n');
  await testInfo.attach('nightly play output', { body: log, contentType: 'text/plain' });
  testInfo.annotations.push({ type: 'nightly play', description: `${(run.durationMs / 1000).toFixed(1)} s` });
  const exits = run.shards.map((s) => s.exitCode);
  expect(exits, `each shard is red: one holds the failure, the other the flaky test (failOnFlakyTests)\n${log.slice(-3000)}`).toEqual([
    1, 1,
  ]);
  expect(run.merge.exitCode, log.slice(-3000)).toBe(0);
  expect(run.report.exitCode, run.report.output).toBe(0);
  expect(run.summary.exitCode, run.summary.output).toBe(0);
  expect(run.listed, 'playwright test --list counted the suite').toBeGreaterThan(15);
});

test('the HTML report, JUnit, JSON, Allure and the job summary count what --list counts: nothing twice', () => {
  const real = reports();
  expect(disagreements(countsOf({ ...real, summary: run.stepSummaryFile }), run.listed)).toEqual([]);

  expect(run.mutants.doubledMerge.exitCode, run.mutants.doubledMerge.output).toBe(0);
  const doubled = disagreements(countsOf({ ...run.mutants, allure: real.allure }), run.listed);
  const caught = ['HTML report', 'JSON', 'JUnit'].map((report) => expect.stringMatching(new RegExp(`^${report}: total \\d+`)));
  expect(doubled, 'a merge that counts a shard twice is caught by every Playwright report').toEqual(expect.arrayContaining(caught));
});

test('the planted test is flaky in the HTML report, JUnit, Allure and the job summary: never a plain pass', () => {
  const { html, junit, allure } = reports();
  expect(playwrightHtmlStats(html).flaky).toBe(1);
  expect(plantedShownAs({ junit, allure })).toEqual({ junit: 'flaky', allure: 'flaky (passed)' });
  expect(read('reports/junit.xml').match(/<flaky(Failure|Error)\b/g) ?? [], 'the only flaky test').toHaveLength(1);
  expect(JSON.stringify(allureJson(allureEmbeddedFiles(allure), 'widgets/categories.json')), 'filed under its category').toContain(
    'Flaky (passed on retry)',
  );

  expect(run.mutants.unflaggedAllure.exitCode, run.mutants.unflaggedAllure.output).toBe(0);
  expect(
    plantedShownAs({ junit: run.mutants.junit, allure: run.mutants.allure }),
    'without includeRetries and the flaky flag, both read as a plain pass',
  ).toEqual({ junit: 'passed', allure: 'passed' });

  const page = read(run.stepSummaryFile);
  expect(page).toMatch(
    new RegExp(
      `### Flaky \\(failed, then passed on retry\\)\\n\\n- R5 · \\*\\*${PLANTED_TITLE}\\*\\*: first attempt: planted flaky failure; a token in the message: eyJhbG…\\\\\\[redacted, ${PLANTED_JWT.length} chars\\\\\\]`,
    ),
  );
  expect(read(run.outputFile)).toBe(`colour=red\nnotify=true\nheadline=❌ Logout User API: 1 failed, 1 flaky of ${run.listed} tests\n`);
});

test('the job summary groups the failure under its rule with its violation, links the reports and the run, and leaks no token', () => {
  const page = read(run.stepSummaryFile);
  expect(page.startsWith(`## ❌ Logout User API: 1 failed, 1 flaky of ${run.listed} tests\n\nNightly run against staging\n`)).toBe(true);
  expect(page).toMatch(
    /#### R8 · Logout answers within the latency objective \(minor\)\n\n- \*\*logout p95 latency[^\n]*\*\*: logout\\_too\\_slow: expected p95 ≤ 1 ms, got /,
  );
  expect(page).toContain(`- [This run (all artifacts)](${RUN_URL})`);
  expect(page).toContain('- [Allure report (one HTML file)](https://example.invalid/allure.html)');
  expect(page, 'the JWT in the flaky test’s message').not.toContain(PLANTED_JWT.split('.')[1]);
});

test('one environment block for the run, whichever shard Allure reads last; the suite’s commit, the caller’s commit and the CI run', () => {
  const shards = readdirSync(at('all-allure-results'));
  const blocks = shards.map((shard) => read(`all-allure-results/${shard}/environment.properties`));
  const asWritten = [1, 2].map((i) => read(join(run.dir, '..', `runner-${i}`, 'allure-results', 'environment.properties')));
  expect(asWritten[1], 'the shards wrote different blocks (their run dates): the collision is real').not.toBe(asWritten[0]);
  expect(blocks).toHaveLength(2);
  expect(blocks[1], 'both shards’ blocks were folded into the same one').toBe(blocks[0]);
  const metadata = allureJson<Array<{ name: string; values: string[] }>>(
    allureEmbeddedFiles(reports().allure),
    'widgets/allure_environment.json',
  );
  const value = (name: string) => metadata.find((m) => m.name === name)?.values.join(', ');
  expect(value('Suite commit'), 'the suite’s checkout').toBe(SUITE_SHA.slice(0, 12));
  expect(value('Caller commit'), 'GITHUB_SHA is the caller’s').toBe(`${CALLER.repository}@${CALLER.sha.slice(0, 12)}`);
  expect(value('CI run')).toBe(`${RUN_URL}/attempts/${CALLER.attempt}`);
  expect(value('Target host')).toBe('127.0.0.1 (embedded emulator)');
  const dates = asWritten.map((block) => /^Run\\ date=(.*)$/m.exec(block)?.[1]).sort();
  expect(value('Run date'), 'the earlier shard’s start').toBe(dates[0]);
  // Allure's own CI detection links the report's header to the run as well.
  expect(read('reports/allure-report/index.html')).toContain(RUN_URL);
});
