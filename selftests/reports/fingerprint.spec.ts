/**
 * The behaviour fingerprint, judged on real runs (fingerprint-runs.ts: three small nights against
 * the emulator, 401s, then 403s, then a slow logout): the job summary names exactly what moved, says
 * so when nothing was kept before, draws logout p95 over the kept runs, turns red only on an
 * opted-in facet; the Allure report carries the list; no secret reaches any of it.
 */
import { chromium } from '@playwright/test';
import { expect, test } from '../fixtures';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, isExecutable, missingLine } from '../../scripts/system-deps';
import { ENVIRONMENT_KEY } from '../../scripts/fingerprint-report';
import { createScanner } from './leak-scan';
import { fingerprintNights, SLOW_LOGOUT_MS, type FingerprintNights, type Night } from './fingerprint-runs';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const OPERATIONS = ['Get User Details', 'Logout', 'Refresh User Access Token'];
const REJECTED_KINDS = ['logged-out token, at once', 'logged-out token, later'];
/** What reject-as-403 moves, and nothing else: every rule-2 rejection, 401 → 403. */
const FORBIDDEN_CHANGES = OPERATIONS.flatMap((op) => REJECTED_KINDS.map((kind) => `${op}, ${kind}: 401 → 403`)).sort();
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;

test.describe.configure({ mode: 'default' });

let nights: FingerprintNights;

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(600_000);
  nights = await fingerprintNights();
});

/** The summary's change list: the `- ` lines of its "Changed since the last run" section, unescaped. */
function listed(night: Night): string[] {
  const section = night.summary.split('### Changed since the last run')[1]?.split(/\n#{2,4} /)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2).replace(/\\(.)/g, '$1'))
    .sort();
}

test('a run with no earlier fingerprint says so, lists nothing, and records what rule 2 met', async ({}, testInfo) => {
  await testInfo.attach('first night: summary', { body: nights.first.summary, contentType: 'text/markdown' });
  expect(nights.first.exitCode, nights.first.output.slice(-3000)).toBe(0);
  expect(nights.first.changes?.previousRecordedAt).toBeNull();
  expect(nights.first.changes?.changes).toEqual([]);
  // The colour first, the change section right under it.
  expect(nights.first.summary).toMatch(/^## ✅ Logout User API: all \d+ tests passed\n\n### Changed since the last run\n\nno earlier fingerprint/);
  expect(listed(nights.first)).toEqual([]);
  const answers = (JSON.parse(nights.first.fingerprint) as { answers: Record<string, { status: string[] }> }).answers;
  for (const op of OPERATIONS) for (const kind of REJECTED_KINDS) expect(answers[`${op}, ${kind}`]?.status, `${op}, ${kind}`).toEqual(['401']);
  expect(answers['Logout, live token']?.status).toEqual(['200']);
});

test('401 then 403: the summary lists exactly the six rejections that moved, and nothing else', async ({}, testInfo) => {
  await testInfo.attach('403 night: summary', { body: nights.forbidden.summary, contentType: 'text/markdown' });
  expect(nights.forbidden.changes?.previousRecordedAt).toBe(nights.first.changes?.recordedAt);
  expect(nights.forbidden.changes?.changes.map((c) => c.line).sort()).toEqual(FORBIDDEN_CHANGES);
  expect(listed(nights.forbidden)).toEqual(FORBIDDEN_CHANGES);
  expect(nights.forbidden.changes?.targetChanged, 'the same gateway, as the run recorded it').toBeNull();
  expect(nights.forbidden.summary).toContain('6 changes since the run of');
});

test('a slower logout is listed as latency, and nothing else', async ({}, testInfo) => {
  await testInfo.attach('slow night: summary', { body: nights.slow.summary, contentType: 'text/markdown' });
  const lines = listed(nights.slow);
  expect(lines, 'compared with the first night: only the successful logouts slowed').toHaveLength(2);
  const after = (line: string | undefined): number => Number(/→ (\d+) ms$/.exec(line ?? '')?.[1]);
  const logout = lines.find((l) => /^logout p95: \d+ ms → \d+ ms$/.test(l));
  const operation = lines.find((l) => /^Logout, all answers, p95: \d+ ms → \d+ ms$/.test(l));
  expect(after(logout)).toBeGreaterThanOrEqual(SLOW_LOGOUT_MS);
  expect(after(operation)).toBeGreaterThanOrEqual(SLOW_LOGOUT_MS);
  expect(nights.slow.changes?.changes.every((c) => c.facet === 'latency')).toBe(true);
  // A change is news, not a failure: the night keeps its tests' colour.
  expect(nights.slow.exitCode).toBe(0);
  expect(nights.slow.outputs.colour).toBe('green');
});

test('TRANSAK_FAIL_ON_CHANGE turns the run red on exactly the chosen kinds of change', () => {
  // status opted in, status moved: red, although every test passed.
  expect(nights.forbidden.output).toMatch(/\d+ passed/);
  expect(nights.forbidden.output).not.toMatch(/\d+ failed/);
  expect(nights.forbidden.exitCode, 'npm run test:api').toBe(1);
  expect(nights.forbidden.outputs.colour).toBe('red');
  expect(nights.forbidden.summary).toContain('pinned behaviour changed (TRANSAK\\_FAIL\\_ON\\_CHANGE=status): Get User Details, logged-out token, at once: 401 → 403');
  // The same change, every other facet opted in: listed, and green.
  expect(listed(nights.relaxed)).toEqual(FORBIDDEN_CHANGES);
  expect(nights.relaxed.exitCode, 'npm run fingerprint').toBe(0);
  expect(nights.relaxed.changes?.targetChanged, 'another job, the target the run recorded').toBeNull();
  expect(nights.relaxed.outputs.colour).toBe('green');
  expect(nights.relaxed.summary).not.toContain('pinned behaviour changed');
  // Nothing opted in: never red for a change.
  expect(nights.first.outputs.colour).toBe('green');
});

test('the job summary draws logout p95 over the kept runs as a Mermaid xychart', () => {
  for (const night of [nights.forbidden, nights.slow]) {
    const chart = /```mermaid\nxychart-beta\n {2}title "Logout p95 \(ms\), last 2 runs"\n {2}x-axis \["[^"\]]+", "[^"\]]+"\]\n {2}y-axis "ms" 0 --> \d+\n {2}line \[(\d+), (\d+)\]\n```/.exec(night.summary);
    expect(chart, night.summary).not.toBeNull();
  }
  const slowLine = /line \[(\d+), (\d+)\]/.exec(nights.slow.summary)!;
  expect(Number(slowLine[2]), 'the slow night is the chart’s last point').toBeGreaterThanOrEqual(SLOW_LOGOUT_MS);
});

test('the Allure report, opened in Chromium, shows the change list in its metadata and the fingerprint as a global attachment', async ({}, testInfo) => {
  expect(isExecutable(CHROMIUM.path()), missingLine(CHROMIUM)).toBe(true);
  const browser = await chromium.launch({ executablePath: CHROMIUM.path(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    await page.goto(pathToFileURL(nights.forbiddenReport).href);
    await expect(page.getByTestId('report-title')).toHaveText('Transak Logout User API');
    const entry = page
      .getByTestId('metadata-item')
      .filter({ has: page.getByTestId('metadata-item-key').getByText(ENVIRONMENT_KEY, { exact: true }) })
      .getByTestId('metadata-item-value');
    await expect(entry).toContainText('6 changes since the run of');
    await expect(entry).toContainText('Get User Details, logged-out token, at once: 401 → 403');
    // The whole list, readable, and the fingerprint: the run's global attachments.
    await page.getByTestId('nav-tab-globalAttachments').click();
    const attachment = (name: string) => page.getByTestId('test-result-attachment-header').filter({ hasText: name });
    await expect(attachment('Gateway behaviour fingerprint')).toBeVisible();
    await attachment('Behaviour changes since the last run').click();
    const content = page.getByTestId('code-attachment-content');
    for (const line of FORBIDDEN_CHANGES) await expect(content).toContainText(`- ${line}`);
    // The opted-in change (status) is the run's failure: one global error per pinned change.
    await expect(page.getByTestId('nav-tab-globalErrors')).toContainText(String(FORBIDDEN_CHANGES.length));
    const shot = testInfo.outputPath('allure-behaviour-changes.png');
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach('Allure report: the change list', { path: shot, contentType: 'image/png' });
  } finally {
    await browser.close();
  }
});

test('no secret and no test address reaches the fingerprint, the kept record, the summary or the report', async ({}, testInfo) => {
  const scanner = createScanner(nights.secrets);
  const dir = nights.dir;
  const paths = ['allure-results', 'allure-history', 'reports'].map((p) => join(dir, p));
  const { files, leaks } = scanner.scanPaths(paths, dir);
  await testInfo.attach('scanned files', { body: files.join('\n'), contentType: 'text/plain' });
  for (const expected of ['reports/fingerprint.json', 'reports/fingerprint-changes.json', 'reports/summary.md', 'allure-history/fingerprints.jsonl', 'reports/allure-report/index.html']) {
    expect(files, `${expected} was scanned`).toContain(expected);
  }
  const nightLeaks = (['first', 'forbidden', 'relaxed', 'slow'] as const).flatMap((n) => scanner.scan(JSON.stringify(nights[n]), `${n} night`));
  expect([...leaks, ...nightLeaks]).toEqual([]);
  // Test addresses ride in the login exchanges' attachments; none may reach what the fingerprint writes.
  const written = [
    'reports/fingerprint.json',
    'reports/fingerprint-changes.json',
    'reports/summary.md',
    'allure-history/fingerprints.jsonl',
    ...readdirSync(join(dir, 'allure-results'))
      .filter((f) => f.startsWith('logout-fingerprint'))
      .map((f) => `allure-results/${f}`),
  ];
  for (const file of written) expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(EMAIL);
});
