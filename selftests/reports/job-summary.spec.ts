/**
 * The job summary (scripts/job-summary.ts), piece by piece on hand-made Playwright JSON reports:
 * counts, failures grouped by their @R tag with the one-line violation, flaky tests, errors outside
 * any test, Markdown that cannot be hijacked by a title, redaction, and where it is written. The
 * summary of a real merged run is judged in nightly-shards.spec.ts.
 */
import { expect, test } from '../fixtures';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { violationMessage } from '../../helpers/verdict-steps';
import { headline, oneLine, renderMarkdown, summarize } from '../../scripts/job-summary';
import { ROOT } from '../../helpers/repo-paths';
import { report, runSummary, spec } from './summary-inputs';

const R2_FAILURE = violationMessage('rule 2: a logged-out token is rejected by Get User Details', [
  'token_not_rejected: expected 400/401/403, got 200 OK for GET /api/v2/user/me',
  'rejection_schema_violation: body/error must be object',
]);

test('a verdict failure reads as its first violation; any other failure as its first line', () => {
  expect(oneLine(R2_FAILURE)).toBe('token_not_rejected: expected 400/401/403, got 200 OK for GET /api/v2/user/me');
  expect(oneLine('\u001b[31mError: \u001b[39mTest timeout of 90000ms exceeded.\n\nat x.ts:3')).toBe('Test timeout of 90000ms exceeded.');
  expect(oneLine("TypeError: Cannot read properties of undefined (reading 'token')\n    at y.ts:9")).toBe(
    "TypeError: Cannot read properties of undefined (reading 'token')",
  );
  expect(oneLine('\n\n  - a list item that is no violation name\nsecond')).toBe('- a list item that is no violation name');
  expect(oneLine(`rule 8\n  - logout_too_slow: ${'9'.repeat(400)}`)).toHaveLength(300);
});

test('counts, failures grouped by verdict rule in rule order, flaky tests with their first failure, errors outside tests', () => {
  const summary = summarize(
    report([
      spec('a logged-out token is rejected by Get User Details', ['R2'], 'unexpected', [R2_FAILURE]),
      spec('logout p95 latency is within LOGOUT_SLO_MS', ['R8'], 'unexpected', [
        violationMessage('rule 8', ['logout_too_slow: expected p95 ≤ 1500 ms, got 1710 ms']),
      ]),
      spec('logout of a fresh token answers 200', ['R1', 'smoke'], 'expected'),
      spec('a helper test with no rule tag', ['smoke'], 'unexpected', ['TypeError: x is not a function']),
      spec('simultaneous logouts', ['R7'], 'flaky', ['Error: socket hang up']),
      spec('the same user’s other session', ['R6'], 'skipped'),
      spec('a logged-out token is rejected by Refresh', ['R2'], 'unexpected', ['Test timeout of 90000ms exceeded.']),
    ]),
  );
  expect(summary).toMatchObject({ total: 7, passed: 1, failed: 4, flaky: 1, skipped: 1, colour: 'red', runErrors: [] });
  expect(summary.flakies).toEqual([{ rule: 'R7', title: 'simultaneous logouts', line: 'socket hang up' }]);
  const markdown = renderMarkdown(summary);
  const headings = [...markdown.matchAll(/^#### (.*)$/gm)].map((m) => m[1]);
  expect(headings).toEqual([
    'R2 · A logged-out token is rejected everywhere, at once and later (blocker)',
    'R8 · Logout answers within the latency objective (minor)',
    'No verdict rule (the test carries no @R tag)',
  ]);
  const r2 = markdown.slice(markdown.indexOf('#### R2'), markdown.indexOf('#### R8'));
  expect(r2).toContain(
    '- **a logged-out token is rejected by Get User Details**: token\\_not\\_rejected: expected 400/401/403, got 200 OK for GET /api/v2/user/me',
  );
  expect(r2).toContain('- **a logged-out token is rejected by Refresh**: Test timeout of 90000ms exceeded.');
  expect(markdown).toContain('| 7 | 1 | 4 | 1 | 1 |');
  expect(markdown).toMatch(
    /### Flaky \(failed, then passed on retry\)\n\n- R7 · \*\*simultaneous logouts\*\*: first attempt: socket hang up/,
  );
  expect(headline(summary)).toBe('❌ Logout User API: 4 failed, 1 flaky of 7 tests');
});

test('the colour: green only when everything passed; flaky when a retry passed; red on any failure, run error or empty run', () => {
  const green = summarize(report([spec('a', ['R1'], 'expected'), spec('b', ['R2'], 'skipped')]));
  expect([green.colour, headline(green)]).toEqual(['green', '✅ Logout User API: all 2 tests passed']);
  const flaky = summarize(report([spec('a', ['R1'], 'expected'), spec('b', ['R7'], 'flaky', ['boom'])]));
  expect([flaky.colour, headline(flaky)]).toEqual(['flaky', '⚠️ Logout User API: 1 flaky of 2 tests']);
  const stopped = summarize(
    report([], [{ message: 'PreflightError: preflight failed, nothing was tested: ConfigError: TRANSAK_EMAILS is unset' }]),
  );
  expect([stopped.colour, headline(stopped)]).toEqual(['red', '❌ Logout User API: stopped before any test ran']);
  expect(renderMarkdown(stopped)).toContain(
    '### Run errors (outside any test)\n\n- PreflightError: preflight failed, nothing was tested: ConfigError: TRANSAK\\_EMAILS is unset',
  );
  expect(summarize(report([])).colour, 'no test at all is no pass').toBe('red');
});

test('a title or message cannot inject Markdown, HTML or links into the page', () => {
  const summary = summarize(
    report([spec('<img src=x onerror=alert(1)> | [click](https://evil.example) `code`', ['R3'], 'unexpected', ['# heading *bold*'])]),
  );
  const markdown = renderMarkdown(summary, {
    links: [
      { name: 'Allure [report]', url: 'https://example.invalid/a b' },
      { name: 'empty', url: '' },
    ],
  });
  expect(markdown, 'every active character is escaped').not.toMatch(/(?<!\\)<img|(?<!\\)\]\(https:\/\/evil|^# heading/m);
  expect(markdown).toContain('\\<img src=x onerror=alert(1)\\> \\| \\[click\\](https://evil.example) \\`code\\`');
  expect(markdown).toContain('- [Allure \\[report\\]](https://example.invalid/a%20b)');
  expect(markdown, 'a link with no URL (its upload was skipped) is left out').not.toContain('empty');
});

test.describe('the script', () => {
  test('appends to $GITHUB_STEP_SUMMARY, hands colour and headline to $GITHUB_OUTPUT, and redacts every secret it can know', ({}, testInfo) => {
    const dir = testInfo.outputPath();
    // Underscores and dashes inside: escaped for Markdown before redaction, they would hide the token's shape.
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxYV9ib3RAZXhhbXBsZS50ZXN0In0.c2ln_bmF0-dXJlX29m_dGhlLXRva2Vu';
    const apiKey = 'pk-summary-check-7f3a9c1e5b';
    const json = join(dir, 'results.json');
    const echoed = spec('token echoed', ['R4'], 'unexpected', [
      violationMessage('rule 4', [`token_echoed: body holds ${jwt} and ${apiKey}`]),
    ]);
    writeFileSync(json, JSON.stringify(report([echoed])));
    const summaryFile = join(dir, 'step-summary.md');
    const outputFile = join(dir, 'output.txt');
    writeFileSync(summaryFile, 'an earlier step wrote this\n');
    const result = runSummary(['--report', json, '--link', 'Allure report=https://example.invalid/r.html'], {
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_OUTPUT: outputFile,
      TRANSAK_API_KEY: apiKey,
      GITHUB_REPOSITORY: 'acme/logout-suite',
      GITHUB_RUN_ID: '42',
    });
    expect(result.status, result.stderr).toBe(0);
    const page = readFileSync(summaryFile, 'utf8');
    expect(page.startsWith('an earlier step wrote this\n## ❌ Logout User API: 1 failed of 1 tests')).toBe(true);
    for (const piece of jwt.split(/[._-]/).filter((p) => p.length >= 6))
      expect(page, `no piece of the token: ${piece}`).not.toContain(piece);
    expect(page).not.toContain(apiKey);
    expect(page).toContain('eyJhbG…\\[redacted');
    expect(page).toContain('- [This run (all artifacts)](https://github.com/acme/logout-suite/actions/runs/42)');
    expect(readFileSync(outputFile, 'utf8')).toBe('colour=red\nnotify=true\nheadline=❌ Logout User API: 1 failed of 1 tests\n');
  });

  test('without $GITHUB_STEP_SUMMARY it writes reports/summary.md; a missing report is one line, and still a red summary', ({}, testInfo) => {
    const dir = testInfo.outputPath();
    const outputFile = join(dir, 'output.txt');
    const missing = runSummary(['--report', join(dir, 'nothing.json')], {
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: join(dir, 's.md'),
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(
      /^job summary: no Playwright JSON report at .*nothing\.json: run the suite first \(npm run test:api\), or pass --report <file>/,
    );
    expect(readFileSync(join(dir, 's.md'), 'utf8')).toMatch(/^## ❌ Logout User API: stopped before any test ran[\s\S]*the run wrote no/);
    expect(readFileSync(outputFile, 'utf8')).toMatch(/^colour=red\n/);

    const badLink = runSummary(['--report', join(dir, 'nothing.json'), '--link', 'no equals sign']);
    expect(badLink.stderr).toBe(
      'job summary: --link "no equals sign": write it as "<name>=<url>", e.g. --link "Allure report=https://…"\n',
    );

    const json = join(dir, 'results.json');
    writeFileSync(json, JSON.stringify(report([spec('a', ['R1'], 'expected')])));
    const local = runSummary(['--report', json]);
    expect(local.status, local.stderr).toBe(0);
    expect(local.stdout).toMatch(/^✅ Logout User API: all 1 tests passed \(job summary: .*reports\/summary\.md\)\n$/);
    expect(readFileSync(join(ROOT, 'reports', 'summary.md'), 'utf8')).toContain('| 1 | 1 | 0 | 0 | 0 |');
  });
});
