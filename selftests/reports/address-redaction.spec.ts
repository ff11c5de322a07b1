/**
 * Test addresses are secrets, yet error messages and exchange logs name them. A real Playwright run
 * that fails naming one, and attaches one with a JWT, a state token and an OTP, writes every report
 * the pipelines upload; the leak scanner finds what was planted in each, then no address after
 * scripts/redact-addresses.ts, and `playwright merge-reports` still reads the rewritten blob. The
 * job summary, written where no TRANSAK_EMAILS is known, masks them by their shape.
 */
import { expect, test } from '../fixtures';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mask } from '../../helpers/redact';
import { readReport } from '../../scripts/json-report';
import { redactAddresses, redactPaths } from '../../scripts/redact-addresses';
import { PLAYWRIGHT_CLI, ROOT } from '../../helpers/repo-paths';
import { cleanEnv } from '../../scripts/scratch-run';
import { createScanner, plantedJwt } from './leak-scan';
import { report, runSummary, spec } from './summary-inputs';

const ADDRESS = 'qa+7@pool.staging-example.com';
const cleanups: string[] = [];

test.afterAll(() => cleanups.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

test('addresses are masked by their shape, plain or percent-encoded, and verbatim when configured; package versions and scopes are left alone', () => {
  expect(redactAddresses(`login failed for ${ADDRESS}: locked`)).toBe(`login failed for ${mask(ADDRESS)}: locked`);
  expect(redactAddresses('GET /otp?email=qa%2B7%40pool.example.com&x=1')).toBe(`GET /otp?email=${mask('qa%2B7%40pool.example.com')}&x=1`);
  expect(redactAddresses('{"email":"a.b-c_d@x.co"}')).toBe(`{"email":"${mask('a.b-c_d@x.co')}"}`);
  expect(redactAddresses('allure-playwright@3.12.2 and @playwright/test, git@1.2.3')).toBe(
    'allure-playwright@3.12.2 and @playwright/test, git@1.2.3',
  );
  expect(redactAddresses("o'neil@pool.example.com", ["o'neil@pool.example.com"]), 'a configured address the shape would cut short').toBe(
    mask("o'neil@pool.example.com"),
  );
});

test('every report of a real run holds the secrets and addresses it was given, inside base64 and zips, until redacted; merge-reports reads the redacted blob', async () => {
  // Outside the self-tests' output folder (Playwright never collects tests from inside one), with
  // this project's node_modules.
  const dir = mkdtempSync(join(tmpdir(), 'address-redaction-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  cleanups.push(dir);
  writeFileSync(
    join(dir, 'playwright.config.ts'),
    `export default { testDir: '.', outputDir: 'test-results', reporter: [['blob', { outputDir: 'blob-report' }], ['html', { outputFolder: 'reports/playwright-html', open: 'never' }], ['json', { outputFile: 'reports/results.json' }], ['junit', { outputFile: 'reports/junit.xml' }], ['allure-playwright', { resultsDir: 'allure-results' }]] };\n`,
  );
  // The secrets come from the environment, so only the reporters, never the spec's source, carry them.
  writeFileSync(
    join(dir, 'planted.spec.ts'),
    `import { test } from '@playwright/test';
test('plants secrets the way a careless helper would', async ({}, testInfo) => {
  await testInfo.attach('exchange', { body: JSON.stringify({ authorization: process.env.PLANTED_JWT, request: { body: { email: '${ADDRESS}' } } }), contentType: 'application/json' });
  await testInfo.attach('state', { body: 'stateToken ' + process.env.PLANTED_STATE, contentType: 'text/plain' });
  console.log('otp ' + process.env.PLANTED_OTP);
});
test('fails naming an address', () => {
  throw new Error('${ADDRESS} is locked by the gateway (too many wrong OTPs)');
});
`,
  );
  const [state, otp] = [randomBytes(32).toString('base64url'), String(randomInt(10_000_000, 100_000_000))];
  // The JWT the scanner knows by its shape alone.
  const env = { ...cleanEnv(), FORCE_COLOR: '0', PLANTED_JWT: plantedJwt(), PLANTED_STATE: state, PLANTED_OTP: otp };
  const node = (args: string[], nodeEnv: NodeJS.ProcessEnv = env) =>
    spawnSync(process.execPath, args, { cwd: dir, env: nodeEnv, encoding: 'utf8' });
  const run = node([PLAYWRIGHT_CLI, 'test', '-c', 'playwright.config.ts']);
  expect(run.status, run.stdout + run.stderr).toBe(1);

  const scanner = createScanner([
    { kind: 'test address', value: ADDRESS },
    { kind: 'state token', value: state },
    { kind: 'OTP', value: otp },
  ]);
  const found = (path: string) => [...new Set(scanner.scanPaths([join(dir, path)], dir).leaks.map((l) => l.kind))].sort();
  const everything = ['OTP', 'state token', 'test address', 'unredacted JWT'];
  // Playwright's HTML keeps attachments inside a base64 zip in index.html (stdout goes in too).
  expect(found('reports/playwright-html')).toEqual(expect.arrayContaining(['state token', 'test address', 'unredacted JWT']));
  expect(found('reports/junit.xml')).toEqual(expect.arrayContaining(['OTP', 'test address']));
  expect(found('reports/results.json')).toContain('test address');
  expect(found('blob-report')).toContain('test address');
  expect(found('allure-results')).toEqual(everything);
  const where = scanner.scanPaths([join(dir, 'reports/playwright-html')], dir).leaks.map((l) => l.where);
  expect(where.join('\n'), 'inside the HTML report’s embedded zip').toContain('› base64 › zip:');

  const outputs = ['blob-report', 'reports', 'allure-results'].map((p) => join(dir, p));
  expect(redactPaths(outputs).length).toBeGreaterThan(4);
  expect(scanner.scanPaths(outputs, dir).leaks.filter((l) => l.kind === 'test address')).toEqual([]);

  // Allure's single file, built from the redacted results, keeps each result and attachment as base64.
  writeFileSync(join(dir, 'allurerc.mjs'), `export default { plugins: { awesome: { options: { singleFile: true } } } };\n`);
  const allureArgs = ['generate', 'allure-results', '--config', 'allurerc.mjs', '--output', 'reports/allure-report'];
  const allure = node([join(ROOT, 'node_modules', 'allure', 'cli.js'), ...allureArgs]);
  expect(allure.status, allure.stdout + allure.stderr).toBe(0);
  expect(found('reports/allure-report')).toEqual(['OTP', 'state token', 'unredacted JWT']);

  const merged = join(dir, 'merged.json');
  const merge = node([PLAYWRIGHT_CLI, 'merge-reports', '--reporter=json', 'blob-report'], {
    ...cleanEnv(),
    PLAYWRIGHT_JSON_OUTPUT_FILE: merged,
  });
  expect(merge.status, merge.stdout + merge.stderr).toBe(0);
  const report = readReport(merged);
  expect(report?.stats).toMatchObject({ expected: 1, unexpected: 1 });
  expect(JSON.stringify(report)).toContain(`${mask(ADDRESS)} is locked by the gateway`);
});

test('the job summary masks addresses where no TRANSAK_EMAILS is known (the report job)', ({}, testInfo) => {
  const failed = spec('a login', ['R2'], 'unexpected', [`Error: ${ADDRESS} is locked`]);
  const results = testInfo.outputPath('results.json');
  writeFileSync(results, JSON.stringify(report([failed], [{ message: `no OTP email for ${ADDRESS}` }])));
  const page = testInfo.outputPath('summary.md');
  writeFileSync(page, '');
  const run = runSummary(['--report', results], { GITHUB_STEP_SUMMARY: page });
  expect(run.status, run.stderr).toBe(0);
  const markdown = readFileSync(page, 'utf8');
  expect(markdown).toContain('is locked');
  expect(markdown).toContain('no OTP email for \\[redacted, 29 chars\\]');
  const scanner = createScanner([{ kind: 'test address', value: ADDRESS }]);
  expect(scanner.scan(markdown)).toEqual([]);
  expect(scanner.scan(run.stdout + run.stderr)).toEqual([]);
});
