/**
 * Test addresses are secrets, yet error messages and exchange logs name them. A real Playwright run
 * that fails naming one, and attaches one, writes every report the pipelines upload (blob, HTML,
 * JSON, JUnit, Allure results); the leak scanner (leak-scan.ts, which opens base64 and zips) finds
 * the address in each, then none after scripts/redact-addresses.ts, and `playwright merge-reports`
 * still reads the rewritten blob, as the report job does. The job summary, written where no
 * TRANSAK_EMAILS is known, masks them by their shape.
 */
import { expect, test } from '../fixtures';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mask } from '../../helpers/redact';
import { readReport } from '../../scripts/json-report';
import { redactAddresses, redactPaths } from '../../scripts/redact-addresses';
import { PLAYWRIGHT_CLI, ROOT, TSX } from '../../helpers/repo-paths';
import { cleanEnv } from '../../scripts/scratch-run';
import { createScanner } from './leak-scan';

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

test('every report of a run that names an address leaks it until redacted, and merge-reports reads the redacted blob', async () => {
  test.setTimeout(90_000);
  // Outside the self-tests' output folder (Playwright never collects tests from inside one), with
  // this project's node_modules.
  const dir = mkdtempSync(join(tmpdir(), 'address-redaction-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  cleanups.push(dir);
  writeFileSync(
    join(dir, 'playwright.config.ts'),
    `export default { testDir: '.', outputDir: 'test-results', reporter: [['blob', { outputDir: 'blob-report' }], ['html', { outputFolder: 'reports/playwright-html', open: 'never' }], ['json', { outputFile: 'reports/results.json' }], ['junit', { outputFile: 'reports/junit.xml' }], ['allure-playwright', { resultsDir: 'allure-results' }]] };\n`,
  );
  writeFileSync(
    join(dir, 'names-an-address.spec.ts'),
    `import { test } from '@playwright/test';
test('attaches an exchange', async ({}, testInfo) => {
  await testInfo.attach('exchange', { body: JSON.stringify({ request: { body: { email: '${ADDRESS}' } } }), contentType: 'application/json' });
});
test('fails naming an address', () => {
  throw new Error('${ADDRESS} is locked by the gateway (too many wrong OTPs)');
});
`,
  );
  const run = spawnSync(process.execPath, [PLAYWRIGHT_CLI, 'test', '-c', 'playwright.config.ts'], {
    cwd: dir,
    env: { ...cleanEnv(), FORCE_COLOR: '0' },
    encoding: 'utf8',
  });
  expect(run.status, run.stdout + run.stderr).toBe(1);

  const outputs = ['blob-report', 'reports', 'allure-results'].map((p) => join(dir, p));
  const scanner = createScanner([{ kind: 'test address', value: ADDRESS }]);
  const leaked = (where: string[]) => [...new Set(scanner.scanPaths(where, dir).leaks.map((leak) => leak.where.split(/[/ ]/)[0]))].sort();
  expect(leaked(outputs), 'the defect: unredacted, every report names the address').toEqual(['allure-results', 'blob-report', 'reports']);
  expect(
    scanner
      .scanPaths([join(dir, 'reports', 'playwright-html')], dir)
      .leaks.map((l) => l.where)
      .join('\n'),
    'inside the HTML report’s embedded zip',
  ).toContain('› base64 › zip:');

  expect(redactPaths(outputs).length).toBeGreaterThan(4);
  expect(scanner.scanPaths(outputs, dir).leaks).toEqual([]);

  const merged = join(dir, 'merged.json');
  const merge = spawnSync(process.execPath, [PLAYWRIGHT_CLI, 'merge-reports', '--reporter=json', 'blob-report'], {
    cwd: dir,
    env: { ...cleanEnv(), PLAYWRIGHT_JSON_OUTPUT_FILE: merged },
    encoding: 'utf8',
  });
  expect(merge.status, merge.stdout + merge.stderr).toBe(0);
  const report = readReport(merged);
  expect(report?.stats).toMatchObject({ expected: 1, unexpected: 1 });
  expect(JSON.stringify(report)).toContain(`${mask(ADDRESS)} is locked by the gateway`);
});

test('the job summary masks addresses where no TRANSAK_EMAILS is known (the report job)', async ({}, testInfo) => {
  const dir = testInfo.outputPath('summary');
  mkdirSync(dir, { recursive: true });
  const failed = {
    title: 'a login',
    tags: ['R2'],
    tests: [
      {
        projectName: 'p',
        status: 'unexpected',
        results: [{ retry: 0, status: 'failed', errors: [{ message: `Error: ${ADDRESS} is locked` }] }],
      },
    ],
  };
  writeFileSync(
    join(dir, 'results.json'),
    JSON.stringify({ suites: [{ title: 'a.spec.ts', specs: [failed], suites: [] }], errors: [{ message: `no OTP email for ${ADDRESS}` }] }),
  );
  const page = join(dir, 'summary.md');
  writeFileSync(page, '');
  const run = spawnSync(process.execPath, [TSX, 'scripts/job-summary.ts', '--report', join(dir, 'results.json')], {
    cwd: ROOT,
    env: { ...cleanEnv(), GITHUB_STEP_SUMMARY: page },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const markdown = readFileSync(page, 'utf8');
  expect(markdown).toContain('is locked');
  expect(markdown).toContain('no OTP email for \\[redacted, 29 chars\\]');
  expect(createScanner([{ kind: 'test address', value: ADDRESS }]).scan(markdown)).toEqual([]);
  expect(createScanner([{ kind: 'test address', value: ADDRESS }]).scan(run.stdout + run.stderr)).toEqual([]);
});
