/**
 * The pieces behind the reports, one at a time: the labels each rule gets, the failure categories
 * (through Allure's own matcher), the environment block, the analytics stripping, and the leak
 * scanner on planted samples (address-redaction.spec.ts shows it on the real reporters' files).
 */
import { expect, test } from '../fixtures';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fakeExchange } from '../support/fake-exchange';
import { createRedactor } from '../../helpers/redact';
import { ciEnvironment, gitCommit, mergeEnvironments, reportEnvironment, targetHost } from '../../helpers/report-environment';
import { markFlakyRetry, reportLabelsFor } from '../../helpers/report-labels';
import { Status } from 'allure-js-commons';
import { RULES, ruleOfTags } from '../../helpers/rules';
import { createSchemaValidator } from '../../helpers/schema-validator';
import { violationMessage } from '../../helpers/verdict-steps';
import { checkRejected } from '../../helpers/verdicts';
import { outsideLoad, stripAnalytics, unifyEnvironment } from '../../scripts/allure-report';
import { createScanner, plantedJwt } from './leak-scan';
import { ROOT } from '../../helpers/repo-paths';

test.describe('labels', () => {
  test('each verdict rule gets its story, severity and tags from its @R tag', () => {
    expect(ruleOfTags(['@R2'])).toBe('R2');
    expect(ruleOfTags(['@smoke', '@R7'])).toBe('R7');
    expect(ruleOfTags(['@R22'])).toBeUndefined();
    expect(ruleOfTags([])).toBeUndefined();
    const severities = Object.fromEntries(Object.entries(RULES).map(([rule, l]) => [rule, l.severity]));
    const expected = {
      R1: 'critical',
      R2: 'blocker',
      R3: 'blocker',
      R4: 'critical',
      R5: 'normal',
      R6: 'critical',
      R7: 'normal',
      R8: 'minor',
    };
    expect(severities).toEqual(expected);
    const { labels, links } = reportLabelsFor(['@R3']);
    expect(labels).toEqual(
      expect.arrayContaining([
        { name: 'epic', value: 'Transak whitelabel API' },
        { name: 'feature', value: 'Logout User' },
        { name: 'story', value: 'R3 · Credentials that are not a live token are rejected' },
        { name: 'severity', value: 'blocker' },
        { name: 'tag', value: 'security' },
        { name: 'tag', value: 'auth-bypass' },
      ]),
    );
    // The rule's own tag label (R3) is allure-playwright's, from the Playwright tag: not added twice.
    expect(labels).not.toContainEqual({ name: 'tag', value: 'R3' });
    expect(links).toEqual([
      { url: 'https://docs.transak.com/api/whitelabel/user/logout-user', name: 'Logout User reference', type: 'link' },
    ]);
  });
});

test.describe('failure categories', () => {
  // allurerc.mjs and Allure's own matcher: ES modules, which Node 20.19+ requires synchronously (an import would be async).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const config = (require(join(ROOT, 'allurerc.mjs')) as { default: { categories: object[] } }).default;
  const allure = require('@allurereport/core-api') as {
    normalizeCategoriesConfig(cfg: object[]): unknown[];
    matchCategory(categories: unknown[], data: object): { name: string } | undefined;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const categories = allure.normalizeCategoriesConfig(config.categories);
  const categoryOf = (message: string, status = 'failed', flaky = false) =>
    allure.matchCategory(categories, { status, labels: [], message, flaky })?.name;
  /** How a failed verdict reads in a result: the claim, then its violations (helpers/verdict-steps.ts). */
  const verdictMessage = (violation: string) => `Error: ${violationMessage('a claim', [violation])}`;

  test('every violation name the verdict helpers and specs emit is filed as a contract violation or as spec drift, never as a broken test', () => {
    const sources = [join(ROOT, 'helpers', 'verdicts.ts'), ...readdirSync(join(ROOT, 'tests')).map((f) => join(ROOT, 'tests', f))];
    const names = new Set<string>();
    for (const file of sources) {
      for (const match of readFileSync(file, 'utf8').matchAll(/[`'"]([a-z]+(?:_[a-z]+)+)(?::\s|['"])/g)) names.add(match[1]);
    }
    expect(names.size, 'violation names found in helpers/verdicts.ts and tests/').toBeGreaterThanOrEqual(15);
    const sorted = [...names].sort();
    const filed = Object.fromEntries(
      sorted.map((name) => [
        name,
        categoryOf(verdictMessage(`${name}: expected something, got something else for POST /api/v1/auth/logout`)),
      ]),
    );
    // The only spec-drift names: a supporting endpoint's or a login step's 200 body off its schema.
    const drift = new Set(['login_schema_violation', 'schema_violation']);
    const expected = Object.fromEntries(
      sorted.map((name) => [name, drift.has(name) ? 'Spec drift (undocumented status or field)' : 'Contract violation by the server']),
    );
    expect(filed).toEqual(expected);
  });

  // The verdicts' own messages are covered above; these are what stops a run before or around them.
  const CASES: Record<string, string[]> = {
    'Spec drift (undocumented status or field)': [
      'AuthFlowError: Send User OTP answered 200 with a body that breaks its documented schema: body/data must have property stateToken',
      'Error: no schema for logout-user 418: the OpenAPI sources document no JSON body for it',
    ],
    'Target unreachable or misconfigured': [
      'TargetError: target unreachable: POST 127.0.0.1:9/api/v2/auth/login failed with ECONNREFUSED; check TRANSAK_BASE_URL',
      'TargetError: no answer in 15000 ms from POST api-gateway-stg.transak.com/api/v1/auth/logout: the target hangs',
      'ConfigError: TRANSAK_EMAILS is unset: a remote target needs a comma-separated pool of test users',
      'OtpError: TRANSAK_OTP_COMMAND exited with code 1: fix the command',
      'AuthFlowError: Verify User OTP failed: POST /api/v2/auth/verify answered 400 Bad Request "Invalid OTP"',
      'PreflightError: preflight failed, nothing was tested: TypeError: x is not a function',
    ],
    'Broken test': ["TypeError: Cannot read properties of undefined (reading 'token')"],
  };

  test('configuration, reachability and login problems, broken tests and flaky passes each land in their own category', () => {
    for (const [category, messages] of Object.entries(CASES))
      for (const message of messages) expect(categoryOf(message), message).toBe(category);
    expect(categoryOf('Test timeout of 90000ms exceeded.', 'broken')).toBe('Broken test');
    expect(categoryOf('', 'passed', true)).toBe('Flaky (passed on retry)');
    expect(categoryOf('', 'passed')).toBeUndefined();
  });
});

test.describe('environment block', () => {
  test('the target is its host name only, and the values never throw', () => {
    expect(targetHost(undefined)).toBe('127.0.0.1 (embedded emulator)');
    expect(targetHost('https://user:pw@api-gateway-stg.transak.com:443/base?apiKey=k')).toBe('api-gateway-stg.transak.com');
    expect(targetHost('not a url')).toBe('unparsable TRANSAK_BASE_URL');
    const env = reportEnvironment(
      { TRANSAK_BASE_URL: 'https://api-gateway-stg.transak.com', TRANSAK_API_KEY: 'secret-key-value' },
      new Date('2026-01-02T03:04:05Z'),
    );
    expect(env).toMatchObject({
      'Target host': 'api-gateway-stg.transak.com',
      'Embedded emulator': 'no',
      'Run date': '2026-01-02T03:04:05.000Z',
    });
    expect(JSON.stringify(env)).not.toContain('secret-key-value');
  });

  test('the commit is read from .git without running git: loose ref, packed ref, detached head, none', ({}, testInfo) => {
    const dir = testInfo.outputPath();
    const sha = 'a'.repeat(8) + 'b'.repeat(32);
    expect(gitCommit(dir, {})).toBe('unknown');
    mkdirSync(join(dir, '.git', 'refs', 'heads'), { recursive: true });
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    expect(gitCommit(dir, {})).toBe('unborn branch');
    writeFileSync(join(dir, '.git', 'packed-refs'), `# pack-refs with: peeled\n${sha} refs/heads/main\n`);
    expect(gitCommit(dir, {})).toBe(sha.slice(0, 12));
    writeFileSync(join(dir, '.git', 'refs', 'heads', 'main'), `${'c'.repeat(40)}\n`);
    expect(gitCommit(dir, {})).toBe('c'.repeat(12));
    writeFileSync(join(dir, '.git', 'HEAD'), `${'d'.repeat(40)}\n`);
    expect(gitCommit(dir, {})).toBe('d'.repeat(12));
    // A release gate called from another repository: GITHUB_SHA is the caller's commit, not the suite's.
    expect(gitCommit(dir, { GITHUB_SHA: 'e'.repeat(40) }), 'the checkout wins over CI’s variable').toBe('d'.repeat(12));
    rmSync(join(dir, '.git'), { recursive: true });
    expect(gitCommit(dir, { GITHUB_SHA: 'e'.repeat(40) }), 'CI’s variable only without .git').toBe('e'.repeat(12));
  });

  test('in CI the block links back to the run and names the caller’s commit apart from the suite’s', () => {
    const run = { GITHUB_RUN_ID: '123', GITHUB_RUN_ATTEMPT: '2', GITHUB_SHA: 'f'.repeat(40) };
    const github = { GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/payments', ...run };
    const pipeline = { CI_PIPELINE_URL: 'https://gitlab.example/qa/logout/-/pipelines/9', CI_COMMIT_SHA: 'a'.repeat(40) };
    const gitlab = { GITLAB_CI: 'true', CI_PROJECT_PATH: 'qa/logout', ...pipeline };
    // Each CI's variables make the same block: the run's page, and the caller's repository at its commit.
    const CI_CASES = [
      { ci: github, run: 'https://github.com/acme/payments/actions/runs/123/attempts/2', caller: `acme/payments@${'f'.repeat(12)}` },
      { ci: gitlab, run: 'https://gitlab.example/qa/logout/-/pipelines/9', caller: `qa/logout@${'a'.repeat(12)}` },
    ];
    for (const { ci, run, caller } of CI_CASES) expect(ciEnvironment(ci)).toEqual({ 'CI run': run, 'Caller commit': caller });
    expect(ciEnvironment({}), 'nothing outside CI').toEqual({});
    const env = reportEnvironment(github);
    const keys = ['Target host', 'Embedded emulator', 'Suite version', 'Suite commit', 'CI run', 'Caller commit', 'Playwright', 'Node'];
    expect(Object.keys(env)).toEqual([...keys, 'Run date']);
    expect(env['Suite commit'], 'this checkout’s commit, not the caller’s').not.toBe('f'.repeat(12));
  });

  test('the shards’ blocks fold into one: agreed values stay, the earliest run date wins, a disagreement shows both', ({}, testInfo) => {
    const [late, early] = ['2026-11-29T02:17:09.000Z', '2026-11-29T02:17:05.000Z'];
    const shard = (date: string, host = 'api-gateway-stg.transak.com') => ({ 'Target host': host, Node: 'v24.1.0', 'Run date': date });
    expect(mergeEnvironments([shard(late), shard(early)])).toEqual(shard(early));
    expect(mergeEnvironments([shard(late), shard(late, 'other.example')])['Target host']).toBe(
      'api-gateway-stg.transak.com | other.example',
    );
    const [a, b, none] = [1, 2, 3].map((n) => testInfo.outputPath(`allure-results-${n}`));
    for (const d of [a, b, none]) mkdirSync(d);
    writeFileSync(join(a, 'environment.properties'), `Target\\ host=api-gateway-stg.transak.com\nRun\\ date=${late}`);
    writeFileSync(join(b, 'environment.properties'), `Target\\ host=api-gateway-stg.transak.com\nRun\\ date=${early}`);
    expect(unifyEnvironment([a, b, none])).toEqual({ 'Target host': 'api-gateway-stg.transak.com', 'Run date': early });
    const written = [a, b].map((d) => readFileSync(join(d, 'environment.properties'), 'utf8'));
    expect(written[0], 'whichever folder Allure reads last, the block is the same').toBe(written[1]);
    expect(readdirSync(none), 'a folder without a block gets none').toEqual([]);
  });
});

/** An allure-playwright result; a retry carries its number as an excluded "Retry" parameter. */
function attempt(status: Status, retry?: number) {
  return { status, statusDetails: {}, parameters: retry === undefined ? [] : [{ name: 'Retry', value: String(retry), excluded: true }] };
}

test('a pass on a retry is marked flaky for Allure; a first-attempt pass or a failed retry is not', () => {
  const flaky = attempt(Status.PASSED, 1);
  markFlakyRetry(flaky);
  expect(flaky.statusDetails).toEqual({ flaky: true });
  for (const steady of [attempt(Status.PASSED), attempt(Status.FAILED, 1), attempt(Status.PASSED, 0)]) {
    markFlakyRetry(steady);
    expect(steady.statusDetails).toEqual({});
  }
});

test('the analytics tag of the report template is stripped, and any other outside load is caught', () => {
  const page = `<head><script>window.allureReportOptions = {}</script></head><body><div id="app"></div>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
    </script>
    <script async>d("data/x.json","eyJ4IjoxfQ==")</script></body>`;
  const stripped = stripAnalytics(page);
  expect(stripped).not.toContain('googletagmanager');
  expect(stripped).not.toContain('gtag(');
  expect(stripped).toContain('d("data/x.json"');
  expect(outsideLoad(stripped)).toBeUndefined();
  expect(outsideLoad('<link rel="stylesheet" href="https://fonts.example.com/a.css">')).toContain('fonts.example.com');
});

test.describe('leak scanner', () => {
  test('finds planted secrets in text, JSON, base64 (nested), gzip, and a cut-off token; ignores masked ones', () => {
    const [state, otp, unknownJwt] = [randomBytes(32).toString('base64url'), String(randomInt(10_000_000, 100_000_000)), plantedJwt()];
    // It knows the state token and the OTP; the JWT it must find by its shape.
    const scanner = createScanner([
      { kind: 'state token', value: state },
      { kind: 'OTP', value: otp },
    ]);
    const kinds = (input: string | Buffer) => scanner.scan(input).map((l) => l.kind);
    expect(kinds(`log: state=${state}`)).toEqual(['state token']);
    expect(kinds(JSON.stringify({ otp: `code ${otp}` }))).toEqual(['OTP']);
    expect(kinds(`{"body":"${Buffer.from(`authorization: ${unknownJwt}`).toString('base64')}"}`)).toEqual(['unredacted JWT']);
    const twice = Buffer.from(JSON.stringify({ attachment: Buffer.from(`otp ${otp}`).toString('base64') })).toString('base64');
    expect(kinds(`d("data/a.json","${twice}")`)).toEqual(['OTP']);
    expect(kinds(gzipSync(Buffer.from(`token ${state}`)))).toEqual(['state token']);
    expect(
      kinds(`body: {"data":{"accessToken":"${unknownJwt.slice(0, 80)}…`),
      'a token cut off after its payload still leaks its claims',
    ).toEqual(['unredacted JWT']);

    const redactor = createRedactor([state, otp]);
    expect(kinds(redactor.text(`state=${state} otp=${otp} token=${unknownJwt}`)), 'the redactor’s masks are not leaks').toEqual([]);
    expect(kinds(`order 1${otp}0 and ${otp}5`), 'an OTP only counts as a whole number').toEqual([]);
  });

  test('a failed verdict quoting a token-bearing body, cut at 300 characters inside the token, leaks nothing once redacted', () => {
    const token = plantedJwt();
    const redactor = createRedactor();
    const body = JSON.stringify({ data: { note: 'x'.repeat(200), accessToken: token } });
    const ex = fakeExchange({
      operationId: 'refresh-user-access-token',
      method: 'GET',
      path: '/api/v2/auth/refresh',
      url: 'http://127.0.0.1/api/v2/auth/refresh',
      requestHeaders: { authorization: token },
      responseHeaders: { 'content-type': 'application/json' },
      body: JSON.parse(body),
    });
    const violations = checkRejected(ex, createSchemaValidator());
    expect(violations.join('\n'), 'the excerpt ends inside the token').toContain(token.slice(0, 40));
    expect(createScanner([{ kind: 'access token', value: token }]).scan(violations.map((v) => redactor.text(v)).join('\n'))).toEqual([]);
  });
});
