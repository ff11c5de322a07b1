/**
 * The main job's reports, judged from its real artifacts: `npm run test:api` run once (see
 * main-job.ts), then its exit code and files, its Allure report in a real browser, and every
 * artifact scanned for raw secrets.
 */
import type { Page } from '@playwright/test';
import type { TestResult } from 'allure-js-commons';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EPIC, FEATURE, LATENCY_NOTE, REFERENCE_URL } from '../../helpers/report-labels';
import { RULES, ruleOfTags } from '../../helpers/rules';
import { createScanner } from './leak-scan';
import { ARTIFACTS, FAILING_RULE, mainJobRun, type MainJobRun } from './main-job';
import { ROOT } from '../../helpers/repo-paths';
import { allureMetadata, expect, test } from './report-readers';

/** The run's known failure (rule 8, LOGOUT_SLO_MS=1) as the report's tree shows it. */
const FAILING_TITLE = /^logout p95 latency/;
/** What the pipelines upload (test-results/ stays on the runner). */
const UPLOADED = ARTIFACTS.filter((a) => a !== 'test-results');
/** Files, some inside those folders, that the checks must have met. */
const SCANNED = [
  'reports/allure-report/index.html',
  'reports/playwright-html/index.html',
  'reports/junit.xml',
  'allure-history/history.jsonl',
];
/** Where a reader finds the self-test's view of the report (reports/ is the place for reports). */
const SCREENSHOT_DIR = join(ROOT, 'reports');

// One run for all the tests of this file, in order, in one worker.
test.describe.configure({ mode: 'default' });

let run: MainJobRun;
const inRun = (paths: string[]) => paths.map((path) => join(run.dir, path));

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(300_000);
  run = await mainJobRun();
});

test('npm run test:api exits with Playwright’s code and writes every report into one place', async ({}, testInfo) => {
  await testInfo.attach('main job output', { body: run.output, contentType: 'text/plain' });
  const took = `npm run test:api took ${(run.durationMs / 1000).toFixed(1)} s (exit ${run.exitCode})`;
  testInfo.annotations.push({ type: 'main job', description: took });
  // LOGOUT_SLO_MS=1 fails rule 8 and nothing else: Playwright exits 1, and so must the job. JUnit
  // files a verdict failure as <error>, not <failure>: its message carries no expect(…) matcher hint.
  expect(run.junit, `JUnit counts; output:\n${run.output.slice(-3000)}`).toMatchObject({ skipped: 0 });
  expect(run.junit.failures + run.junit.errors, 'one failed test').toBe(1);
  expect(run.junit.tests).toBeGreaterThanOrEqual(18);
  expect(run.exitCode, 'the job exits with Playwright’s exit code (1: a test failed)').toBe(1);
  expect(run.output).toMatch(/Allure report \(\d+ results\): reports\/allure-report\/index\.html/);
  for (const artifact of [...UPLOADED, ...SCANNED]) expect(existsSync(join(run.dir, artifact)), `${artifact} exists`).toBe(true);
  const summary = readFileSync(join(run.dir, 'reports/summary.md'), 'utf8');
  expect(summary, 'the job summary files the failure under its rule, with its violation').toMatch(
    new RegExp(
      `#### ${FAILING_RULE} · Logout answers within the latency objective \\(minor\\)\\n\\n- \\*\\*logout p95 latency[^\\n]*\\*\\*: logout\\\\_too\\\\_slow: expected p95 ≤ 1 ms`,
    ),
  );
  const results = readFileSync(join(run.dir, 'reports/results.json'), 'utf8');
  expect(results, "rule 8's figures are its test's annotation").toContain(`"type": ${JSON.stringify(LATENCY_NOTE)}`);
  const html = readFileSync(join(run.dir, 'reports/allure-report/index.html'), 'utf8');
  expect(html, 'the analytics tag is stripped').not.toContain('googletagmanager');
  expect(existsSync(join(run.dir, 'reports/allure-report/awesome')), 'no report nested in an old one').toBe(false);
});

test('every result carries epic, feature, its rule as story, a severity, tags and the reference link', () => {
  const resultsDir = join(run.dir, 'allure-results');
  const results = readdirSync(resultsDir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as TestResult);
  expect(results).toHaveLength(run.junit.tests);
  for (const result of results) {
    const label = (name: string) => result.labels.filter((l) => l.name === name).map((l) => l.value);
    const rule = ruleOfTags(label('tag'));
    expect(rule, `"${result.name}" is tagged with its rule (@R1 … @R8)`).toBeDefined();
    expect(label('epic'), result.name).toEqual([EPIC]);
    expect(label('feature'), result.name).toEqual([FEATURE]);
    expect(label('story'), result.name).toEqual([`${rule} · ${RULES[rule!].title}`]);
    expect(label('severity'), result.name).toEqual([RULES[rule!].severity]);
    expect(label('tag'), result.name).toEqual(expect.arrayContaining([rule, ...RULES[rule!].topics]));
    const links = result.links.map((l) => l.url);
    expect(links, result.name).toContain(REFERENCE_URL);
  }
});

/** Opens a test from the report's tree (feature › story › test), as a reader clicks to it. */
async function openTest(page: Page, reportUrl: string, title: RegExp, story: RegExp): Promise<void> {
  await page.goto(reportUrl);
  const feature = page.getByTestId('tree-section-title').filter({ hasText: /^Logout User$/ });
  const storySection = page.getByTestId('tree-section-title').filter({ hasText: story });
  const leaf = page.getByTestId('tree-leaf-title').filter({ hasText: title });
  await expect(feature).toBeVisible();
  // Sections holding a failure open by themselves; the others are collapsed.
  if (!(await storySection.isVisible())) await feature.click();
  if (!(await leaf.isVisible())) await storySection.click();
  await leaf.click();
  await expect(page.getByTestId('test-result-info-title')).toHaveText(title);
}

test('the Allure report, opened in a real browser, shows the run’s numbers, metadata, categories and a test’s steps', async ({
  reportPage: page,
}, testInfo) => {
  const outside: string[] = [];
  page.on('request', (request) => {
    if (!/^(file|data|blob):/.test(request.url())) outside.push(request.url());
  });
  // The single-file report renders from file://, as a reader opens a downloaded artifact.
  const reportUrl = pathToFileURL(join(run.dir, 'reports/allure-report/index.html')).href;
  await page.goto(reportUrl);
  await expect(page.getByTestId('report-title')).toHaveText('Transak Logout User API');

  const { tests, failures, errors, skipped } = run.junit;
  const counts = { total: tests, failed: failures + errors, passed: tests - failures - errors - skipped };
  for (const [name, count] of Object.entries(counts))
    await expect(page.getByTestId(`metadata-item-${name}`).getByTestId('metadata-value'), name).toHaveText(String(count));
  await expect(allureMetadata(page, 'Embedded emulator')).toHaveText('yes');
  await expect(allureMetadata(page, 'Target host')).toHaveText('127.0.0.1 (embedded emulator)');
  await expect(allureMetadata(page, 'Playwright')).toHaveText(/^\d+\.\d+\.\d+$/);
  await expect(allureMetadata(page, 'Suite commit')).toHaveText(/^([0-9a-f]{12}|unknown|unborn branch)$/);
  const shot = join(SCREENSHOT_DIR, 'selftest-allure-overview.png');
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('Allure report: overview', { path: shot, contentType: 'image/png' });

  // The one failure (rule 8) is filed as the server's contract violation, not as a broken test.
  await page.getByTestId('nav-tab-categories').click();
  await expect(page.getByText('Contract violation by the server', { exact: true })).toBeVisible();
  await expect(page.getByText('Broken test', { exact: true })).toHaveCount(0);
  await expect(page.getByTestId('tree-leaf-title').filter({ hasText: FAILING_TITLE })).toBeVisible();

  // Rule 8's figures are in the failed test's header.
  await openTest(page, reportUrl, FAILING_TITLE, new RegExp(`^${FAILING_RULE} · `));
  await expect(page.getByText(LATENCY_NOTE, { exact: true })).toBeVisible();

  // A test's steps, with the HTTP exchange attached inside the step that made it, redacted.
  await openTest(page, reportUrl, /^logout of a fresh token/, /^R1 · /);
  const steps = page.getByTestId('test-result-step-title');
  await expect(steps.getByText('control: Get User Details accepts the token', { exact: true })).toBeVisible();
  await steps.getByText('log out → 200 with the documented JSON body', { exact: true }).click();
  await page.getByText(/^POST \/api\/v1\/auth\/logout → 200 OK \(\d+ ms\)$/).click();
  await expect(page.getByText(/"authorization": "eyJhbG…\[redacted, \d+ chars\]"/)).toBeVisible();
  const stepShot = join(SCREENSHOT_DIR, 'selftest-allure-test-steps.png');
  await page.screenshot({ path: stepShot, fullPage: true });
  await testInfo.attach('Allure report: a test’s steps', { path: stepShot, contentType: 'image/png' });

  expect(outside, 'the report loads nothing from outside').toEqual([]);
});

test('no artifact of the run holds a raw secret (tokens, OTP, state tokens, API key), inside archives and base64 too', async ({}, testInfo) => {
  for (const kind of ['state token', 'access token'])
    expect(run.secrets.filter((s) => s.kind === kind).length, `the emulator listed the ${kind}s it issued`).toBeGreaterThan(10);
  const scanner = createScanner(run.secrets);
  const { files, leaks } = scanner.scanPaths(inRun(ARTIFACTS), run.dir);
  const consoleLeaks = scanner.scan(run.output, 'console output of npm run test:api');
  await testInfo.attach('scanned files', { body: files.join('\n'), contentType: 'text/plain' });
  expect(files.length, 'artifacts were found to scan').toBeGreaterThan(20);
  for (const expected of SCANNED) expect(files, `${expected} was scanned`).toContain(expected);
  expect([...leaks, ...consoleLeaks], 'raw secrets in the run’s artifacts (file › decoded layers)').toEqual([]);
});

test('no uploaded artifact names a test address: npm run test:api masked the ones the run wrote', () => {
  // The emulator run's addresses are generated, all @logout-suite.test (helpers/email-pool.ts).
  expect(run.output, 'the run wrote addresses, and they were masked').toMatch(/test addresses masked in [1-9]\d* report file\(s\)/);
  const scanner = createScanner([{ kind: 'test address', value: '@logout-suite.test' }]);
  expect(scanner.scanPaths(inRun(UPLOADED), run.dir).leaks).toEqual([]);
});
