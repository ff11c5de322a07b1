/**
 * The behaviour fingerprint, judged on real runs: three small nights (`npm run test:api -- --grep
 * @R2`, the kinds whose answers move, then `npm run summary`) in one copy of the project, so the kept
 * fingerprints carry over, each against an emulator process in another mode:
 * 1. `first`: the reference server, nothing kept before it;
 * 2. `forbidden`: `reject-as-403` (every token rejection 403), TRANSAK_FAIL_ON_CHANGE=status; then
 *    `relaxed`: the same results fingerprinted again with every other facet opted in;
 * 3. `slow`: `slow-logout` (every successful logout 1700 ms), kept fingerprints as after night 1.
 *
 * TRANSAK_LATENCY_CHANGE_MS=1000: on a shared 2-core machine a p95 of a dozen requests jumps by a
 * few hundred ms at random, which the default floor would rightly call a change; the slow mode adds
 * 1700 ms. The default floor is proven on hand-made fingerprints (selftests/unit/fingerprint.spec.ts).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SLOW_LOGOUT_MS } from '../../emulator/faults';
import { spawnEmulator } from '../../scripts/emulator-process';
import type { Fingerprint } from '../../scripts/fingerprint-build';
import { readJson } from '../../scripts/json-report';
import { ENVIRONMENT_KEY, type ChangeReport } from '../../scripts/fingerprint';
import { oncePerSelfTestRun, runToEnd, type Finished } from '../../scripts/scratch-run';
import { createScanner, secretProject } from './leak-scan';
import { NPM } from './main-job';
import { githubOutputs } from './summary-inputs';
import { allureMetadata, expect, test } from './report-readers';

/** After a job's fingerprint: the summary CI writes next, and what both left; `outputs` is what it handed GitHub ($GITHUB_OUTPUT). */
async function summarize(dir: string, name: string, env: NodeJS.ProcessEnv, job: Finished) {
  const outputsFile = join(dir, '..', `${name}.outputs`);
  writeFileSync(outputsFile, '');
  const run = await runToEnd(NPM, ['run', 'summary'], { cwd: dir, env: { ...env, GITHUB_OUTPUT: outputsFile }, timeoutMs: 60_000 });
  return {
    exitCode: job.exitCode,
    output: `${job.output}${run.output}`,
    summary: readFileSync(join(dir, 'reports', 'summary.md'), 'utf8'),
    outputs: githubOutputs(outputsFile),
    changes: readJson(join(dir, 'reports', 'fingerprint-changes.json')) as ChangeReport | undefined,
    fingerprint: readJson(join(dir, 'reports', 'fingerprint.json')) as Fingerprint,
  };
}
type Night = Awaited<ReturnType<typeof summarize>>;

async function produce(cacheDir: string) {
  const planted = secretProject(cacheDir, 'fingerprint');
  const { dir } = planted;
  const base = { ...planted.suiteEnv, TRANSAK_OTP_COOLDOWN_MS: '1000', TRANSAK_R2_LATE_LOOK_MS: '3000', TRANSAK_LATENCY_CHANGE_MS: '1000' };
  const emulatorEnv = { ...planted.emulatorEnv, EMULATOR_OTP_COOLDOWN_MS: '1000' };
  const night = async (name: string, faults: string[], extra: Record<string, string> = {}): Promise<Night> => {
    const emulator = spawnEmulator({ faults, env: emulatorEnv });
    try {
      const env = { ...base, TRANSAK_BASE_URL: await emulator.ready, ...extra };
      const job = await runToEnd(NPM, ['run', 'test:api', '--', '--grep', '@R2', '--workers=2'], { cwd: dir, env, timeoutMs: 240_000 });
      return await summarize(dir, name, env, job);
    } finally {
      await emulator.stop();
    }
  };

  const kept = join(dir, 'allure-history', 'fingerprints.jsonl');
  const first = await night('first', []);
  copyFileSync(kept, join(cacheDir, 'kept-after-first.jsonl'));
  const forbidden = await night('forbidden', ['reject-as-403'], { TRANSAK_FAIL_ON_CHANGE: 'status' });
  const forbiddenReport = join(cacheDir, 'forbidden-allure.html');
  copyFileSync(join(dir, 'reports', 'allure-report', 'index.html'), forbiddenReport);
  // The same results again, every facet but status opted in: the run's one kind of change is status.
  const relaxedEnv = { ...base, TRANSAK_FAIL_ON_CHANGE: 'errorCode,shape,contentType,policy,latency' };
  const refingerprinted = await runToEnd(NPM, ['run', 'fingerprint'], { cwd: dir, env: relaxedEnv, timeoutMs: 60_000 });
  const relaxed = await summarize(dir, 'relaxed', relaxedEnv, refingerprinted);
  mkdirSync(join(dir, 'allure-history'), { recursive: true });
  copyFileSync(join(cacheDir, 'kept-after-first.jsonl'), kept);
  const slow = await night('slow', ['slow-logout']);

  const secrets = planted.all();
  // forbiddenReport: the Allure report of the `forbidden` night (one file).
  return { dir, first, forbidden, relaxed, slow, forbiddenReport, secrets };
}

const OPERATIONS = ['Get User Details', 'Logout', 'Refresh User Access Token'];
const REJECTED_KINDS = ['logged-out token, at once', 'logged-out token, later'];
/** What reject-as-403 moves, and nothing else: every rule-2 rejection, 401 → 403. */
const FORBIDDEN_CHANGES = OPERATIONS.flatMap((op) => REJECTED_KINDS.map((kind) => `${op}, ${kind}: 401 → 403`)).sort();
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
/** The job summary's chart of logout p95 over the kept runs (the first night and this one): Mermaid's xychart. */
const P95_CHART =
  /```mermaid\nxychart-beta\n {2}title "Logout p95 \(ms\), last 2 runs"\n {2}x-axis \["[^"\]]+", "[^"\]]+"\]\n {2}y-axis "ms" 0 --> \d+\n {2}line \[(\d+), (\d+)\]\n```/;

test.describe.configure({ mode: 'default' });

let nights: Awaited<ReturnType<typeof produce>>;

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(600_000);
  // Run once per self-test run, shared with a second worker.
  nights = await oncePerSelfTestRun('logout-suite-fingerprint-selftest-', produce);
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
  // The colour first, the change section right under it.
  expect(nights.first.summary).toMatch(
    /^## ✅ Logout User API: all \d+ tests passed\n\n### Changed since the last run\n\nno earlier fingerprint/,
  );
  expect(listed(nights.first)).toEqual([]);
  const { answers } = nights.first.fingerprint;
  for (const op of OPERATIONS)
    for (const kind of REJECTED_KINDS) expect(answers[`${op}, ${kind}`]?.status, `${op}, ${kind}`).toEqual(['401']);
  expect(answers['Logout, live token']?.status).toEqual(['200']);
});

test('401 then 403: the summary lists exactly the six rejections that moved, and nothing else', async ({}, testInfo) => {
  await testInfo.attach('403 night: summary', { body: nights.forbidden.summary, contentType: 'text/markdown' });
  expect(nights.forbidden.changes?.previousRecordedAt).toBe(nights.first.changes?.recordedAt);
  expect(listed(nights.forbidden)).toEqual(FORBIDDEN_CHANGES);
  expect(nights.forbidden.changes?.targetChanged, 'the same gateway, as the run recorded it').toBeNull();
  expect(nights.forbidden.summary).toContain('6 changes since the run of');
  expect(nights.forbidden.summary, 'logout p95 over the kept runs, as a Mermaid xychart').toMatch(P95_CHART);
});

test('a slower logout is listed as latency, and nothing else', async ({}, testInfo) => {
  await testInfo.attach('slow night: summary', { body: nights.slow.summary, contentType: 'text/markdown' });
  const lines = listed(nights.slow);
  expect(lines, 'compared with the first night: only the successful logouts slowed').toHaveLength(2);
  const after = (pattern: RegExp): number => Number(/→ (\d+) ms$/.exec(lines.find((l) => pattern.test(l)) ?? '')?.[1]);
  expect(after(/^logout p95: \d+ ms → \d+ ms$/)).toBeGreaterThanOrEqual(SLOW_LOGOUT_MS);
  expect(after(/^Logout, all answers, p95: \d+ ms → \d+ ms$/)).toBeGreaterThanOrEqual(SLOW_LOGOUT_MS);
  expect(nights.slow.changes?.changes.every((c) => c.facet === 'latency')).toBe(true);
  expect(Number(P95_CHART.exec(nights.slow.summary)?.[2]), 'the slow night is the p95 chart’s last point').toBeGreaterThanOrEqual(
    SLOW_LOGOUT_MS,
  );
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
  expect(nights.forbidden.summary).toContain(
    'pinned behaviour changed (TRANSAK\\_FAIL\\_ON\\_CHANGE=status): Get User Details, logged-out token, at once: 401 → 403',
  );
  // The same change, every other facet opted in: listed, and green.
  expect(listed(nights.relaxed)).toEqual(FORBIDDEN_CHANGES);
  expect(nights.relaxed.exitCode, 'npm run fingerprint').toBe(0);
  expect(nights.relaxed.changes?.targetChanged, 'another job, the target the run recorded').toBeNull();
  expect(nights.relaxed.outputs.colour).toBe('green');
  expect(nights.relaxed.summary).not.toContain('pinned behaviour changed');
  // Nothing opted in: never red for a change.
  expect(nights.first.outputs.colour).toBe('green');
});

test('the Allure report, opened in Chromium, shows the change list in its metadata and the fingerprint as a global attachment', async ({
  reportPage: page,
}, testInfo) => {
  await page.goto(pathToFileURL(nights.forbiddenReport).href);
  await expect(page.getByTestId('report-title')).toHaveText('Transak Logout User API');
  const entry = allureMetadata(page, ENVIRONMENT_KEY);
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
});

test('no secret and no test address reaches the fingerprint, the kept record, the summary or the report', async ({}, testInfo) => {
  const { dir, secrets } = nights;
  const scanner = createScanner(secrets);
  const roots = ['allure-results', 'allure-history', 'reports'].map((p) => join(dir, p));
  const { files, leaks } = scanner.scanPaths(roots, dir);
  await testInfo.attach('scanned files', { body: files.join('\n'), contentType: 'text/plain' });
  const written = [
    'reports/fingerprint.json',
    'reports/fingerprint-changes.json',
    'reports/summary.md',
    'allure-history/fingerprints.jsonl',
  ];
  for (const expected of [...written, 'reports/allure-report/index.html']) expect(files, `${expected} was scanned`).toContain(expected);
  const nightLeaks = (['first', 'forbidden', 'relaxed', 'slow'] as const).flatMap((n) =>
    scanner.scan(JSON.stringify(nights[n]), `${n} night`),
  );
  expect([...leaks, ...nightLeaks]).toEqual([]);
  // Test addresses ride in the login exchanges' attachments; none may reach what the fingerprint writes.
  const globals = readdirSync(join(dir, 'allure-results'))
    .filter((f) => f.startsWith('logout-fingerprint'))
    .map((f) => `allure-results/${f}`);
  for (const file of [...written, ...globals]) expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(EMAIL);
});
