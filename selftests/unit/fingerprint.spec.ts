import { expect, test } from '../fixtures';
import { writeFileSync } from 'node:fs';
import type { RuleId } from '../../helpers/rules';
import { createSchemaValidator } from '../../helpers/schema-validator';
import * as build from '../../scripts/fingerprint-build';
import { changeReportBeside, type ChangeReport } from '../../scripts/fingerprint';
import { renderMarkdown, type RunSummary } from '../../scripts/job-summary';

const validator = createSchemaValidator();

/** `request` is `METHOD /path`. */
function observed(rule: RuleId | undefined, steps: string[], request: string, status = 200, body: unknown = {}, ms = 10) {
  const [method, path] = request.split(' ');
  const contentType = typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8';
  const response = { status, headers: { 'Content-Type': contentType }, body };
  return { rule, steps, exchange: { request: { method, url: `http://127.0.0.1:1${path}?apiKey=[redacted]` }, response, timing: { ms } } };
}

const rejection = (status: number, extra: Record<string, unknown> = {}) => ({
  error: { statusCode: status, message: 'Token missing, invalid or expired', ...extra },
});

const LOGOUT = 'POST /api/v1/auth/logout';
const USER = 'GET /api/v2/user/';
const REFRESH = 'GET /api/v2/auth/refresh';
const VERIFY = 'POST /api/v2/auth/verify';
const FIRST = 'rejects it on the first call after logout';
const NO = build.NOT_OBSERVED;
/** A step's kind, or "no kind" where the step does not say (latency only): a hand-on check, rule 4's mixed sweep. */
const KINDS: Array<[RuleId, string[], string, string]> = [
  ['R2', ['log out with no body', 'log out with no body → 200 with the documented JSON body'], LOGOUT, 'Logout, live token'],
  ['R2', [`Get User Details ${FIRST}`], USER, 'Get User Details, logged-out token, at once'],
  ['R2', ['Refresh User Access Token still rejects it 3 s later'], REFRESH, 'Refresh User Access Token, logged-out token, later'],
  ['R3', ['Logout rejects a random string as token'], LOGOUT, 'Logout, refused credential: a random string as token'],
  ['R3', ['log out with "Bearer <token>"'], LOGOUT, 'Logout, Bearer-prefixed live token'],
  ['R5', ['PUT /api/v1/auth/logout with a live token'], 'PUT /api/v1/auth/logout', 'Logout, other method PUT'],
  ['R6', ['ask Get User Details with the other session'], USER, "Get User Details, same user's other session after a logout"],
  ['R7', ['send 5 logouts at once'], LOGOUT, 'Logout, concurrent logouts'],
  ['R8', ['logout 3 of 5'], LOGOUT, 'Logout, live token'],
  ['R1', ['Before Hooks', 'live user token', 'fresh user token (Send User OTP → Verify User OTP)'], VERIFY, 'Verify User OTP, login'],
  ['R7', ['Get User Details rejects the token afterwards'], USER, 'no kind'],
  ['R3', ['build a tampered token', 'a token handed on by an earlier test: control, it still works'], USER, 'no kind'],
  ['R4', ['log out with a JSON body, then the dead token to every token operation and every logout body'], USER, 'no kind'],
];
for (const [rule, steps, request, expected] of KINDS) {
  test(`kind: ${rule} "${steps.at(-1)}" is ${expected}`, () => {
    const { operation, kind } = build.classify(observed(rule, steps, request));
    expect(kind === undefined ? 'no kind' : `${operation}, ${kind}`).toBe(expected);
  });
}

test.describe('the fingerprint of a run', () => {
  const login = ['fresh user token (Send User OTP → Verify User OTP)'];
  const observations = [
    observed('R2', [`Get User Details ${FIRST}`], USER, 401, rejection(401, { name: 'UnauthorizedError', errorCode: 1002 })),
    observed('R2', [`Logout ${FIRST}`], LOGOUT, 403, rejection(403, { errorCode: 'qa+1@example.com' })),
    observed('R2', [`Refresh User Access Token ${FIRST}`], REFRESH, 400, 'no'),
    observed('R1', login, VERIFY, 200, { data: { accessToken: 'eyJhbG…[redacted, 300 chars]', ttl: 2592000, created: 'x' } }),
    observed('R1', login, 'POST /api/v2/auth/login', 429, rejection(429)),
  ];

  test('records status, errorCode, shape and media type per kind, and never a value that is not a code', () => {
    const fp = build.buildFingerprint(observations, [], validator, 'gateway.test');
    expect(fp.answers['Get User Details, logged-out token, at once']).toMatchObject({
      status: ['401'],
      errorCode: ['1002'],
      shape: ['per-endpoint + errorCode {statusCode,name,message,errorCode}'],
      contentType: ['application/json'],
    });
    const logout = { errorCode: ['present, not a code'], shape: ['error-codes {statusCode,message,errorCode}'] };
    expect(fp.answers['Logout, logged-out token, at once']).toMatchObject(logout);
    const refresh = { shape: ['none'], contentType: ['text/plain'] };
    expect(fp.answers['Refresh User Access Token, logged-out token, at once']).toMatchObject(refresh);
    expect(JSON.stringify(fp)).not.toContain('@');
  });

  test('policies: the token lifetime Verify User OTP announced, 429s met; a missing annotation is "not observed"', () => {
    const policies = { sameUserSessions: NO, sessionsPerUser: NO, rateLimiting: 'met (429)', tokenLifetime: '2592000 s' };
    expect(build.buildFingerprint(observations, [], validator, 'g').policies).toEqual(policies);
    const annotations = [
      { type: 'same-user sessions', description: 'other sessions are revoked by a logout (HTTP 401)' },
      { type: 'sessions per user', description: 'one session per user' },
    ];
    const annotated = { sameUserSessions: 'revoked', sessionsPerUser: 'one', rateLimiting: NO, tokenLifetime: NO };
    expect(build.buildFingerprint([], annotations, validator, 'g').policies).toEqual(annotated);
  });

  test('annotations are read from the JSON report once each, though it writes a runtime one with the test and with its attempt', () => {
    const note = { type: 'sessions per user', description: 'one session per user' };
    const attempt = { status: 'passed', errors: [], annotations: [note] };
    const spec = { title: 't', tags: [], tests: [{ projectName: 'p', status: 'expected', annotations: [note], results: [attempt] }] };
    const file = test.info().outputPath('results.json');
    writeFileSync(file, JSON.stringify({ suites: [{ title: 'f', specs: [spec] }], errors: [] }));
    expect(build.readAnnotations(file)).toEqual([note]);
  });

  test('latency: p50 and p95 of successful logouts, and of each operation', () => {
    const logouts = [10, 20, 30, 40, 500].map((ms) => observed('R8', ['logout 1 of 5'], LOGOUT, 200, { data: { message: 'ok' } }, ms));
    const rejected = observed('R2', [`Logout ${FIRST}`], LOGOUT, 401, rejection(401), 5);
    const fp = build.buildFingerprint([...logouts, rejected], [], validator, 'g');
    expect(fp.latency.logout).toEqual({ p50Ms: 30, p95Ms: 500, count: 5 });
    expect(fp.latency.operations.Logout).toEqual({ p50Ms: 20, p95Ms: 500, count: 6 });
  });
});

test.describe('what counts as a change', () => {
  test('latency: at least 100 ms and at least half the earlier p95 (180 → 420 ms is one; jitter and spread are not)', () => {
    const moves = { '180 → 420': true, '420 → 180': true, '180 → 230': false, '20 → 110': false, '400 → 550': false };
    for (const [move, moved] of Object.entries(moves)) {
      const [before, after] = move.split(' → ').map(Number);
      expect(build.latencyMoved(before, after, build.DEFAULT_LATENCY_THRESHOLD), move).toBe(moved);
    }
    expect(build.latencyThreshold({})).toEqual({ ms: 100, ratio: 0.5 });
    expect(build.latencyThreshold({ TRANSAK_LATENCY_CHANGE_MS: '1000' })).toEqual({ ms: 1000, ratio: 0.5 });
    expect(() => build.latencyThreshold({ TRANSAK_LATENCY_CHANGE_MS: '1s' })).toThrow(/whole number of milliseconds/);
  });

  test('TRANSAK_FAIL_ON_CHANGE names facets, or any; a misspelt one stops with the list', () => {
    expect(build.failOnFacets({})).toEqual([]);
    expect(build.failOnFacets({ TRANSAK_FAIL_ON_CHANGE: 'errorCode, status' })).toEqual(['status', 'errorCode']);
    expect(build.failOnFacets({ TRANSAK_FAIL_ON_CHANGE: 'any' })).toHaveLength(6);
    expect(() => build.failOnFacets({ TRANSAK_FAIL_ON_CHANGE: 'stauts' })).toThrow(
      'unknown stauts; choose from status, errorCode, shape, contentType, policy, latency or any',
    );
  });

  test('only what both runs observed is compared; each facet has its own line', () => {
    const base = { operation: 'Logout', kind: 'k', shape: ['s'], contentType: ['application/json'], count: 1 };
    const answer = (status: string, code: string, more = {}): build.Answer => ({ ...base, status: [status], errorCode: [code], ...more });
    const fp = (answers: Record<string, build.Answer>, policies: build.Policies, p95Ms: number): build.Fingerprint => {
      const latency = { logout: { p50Ms: 100, p95Ms, count: 5 }, operations: {} };
      return { version: 1, recordedAt: 'x', target: 'g', answers, policies, latency };
    };
    const before = fp(
      { 'Logout, k': answer('401', '1002'), 'Logout, only before': answer('401', '1002') },
      { sameUserSessions: 'survive', sessionsPerUser: NO, rateLimiting: 'not met', tokenLifetime: '2592000 s' },
      180,
    );
    const after = fp(
      { 'Logout, k': answer('403', 'none', { contentType: ['text/plain'] }) },
      { sameUserSessions: NO, sessionsPerUser: 'one', rateLimiting: 'met (429)', tokenLifetime: '3600 s' },
      420,
    );
    const { changes, notCompared } = build.compareFingerprints(before, after);
    expect(changes).toEqual([
      { facet: 'status', line: 'Logout, k: 401 → 403' },
      { facet: 'errorCode', line: 'Logout, k: errorCode 1002 → none' },
      { facet: 'contentType', line: 'Logout, k: content type application/json → text/plain' },
      { facet: 'policy', line: 'rate limiting: not met → met (429)' },
      { facet: 'policy', line: 'token lifetime (Verify User OTP ttl): 2592000 s → 3600 s' },
      { facet: 'latency', line: 'logout p95: 180 ms → 420 ms' },
    ]);
    expect(notCompared).toEqual(['Logout, only before']);
    expect(build.compareFingerprints(before, before).changes).toEqual([]);
  });
});

test.describe('the job summary’s section', () => {
  const report = (recordedAt = '2026-12-04T02:30:00.000Z'): ChangeReport => {
    const changes = [{ facet: 'status' as const, line: 'Logout, logged-out token, at once: 401 → 403' }];
    const rest = { targetChanged: null, notCompared: [], latencyThreshold: build.DEFAULT_LATENCY_THRESHOLD, failOn: [], failing: [] };
    return { ...rest, recordedAt, previousRecordedAt: '2026-12-03T02:30:00.000Z', changes, trend: [{ at: recordedAt, logoutP95Ms: 180 }] };
  };

  test('sits under the headline with the colour, and the title, before the counts, with the p95 chart', () => {
    const passed = { total: 9, passed: 9, failed: 0, flaky: 0, skipped: 0, failures: [], flakies: [], runErrors: [] };
    const page = renderMarkdown({ ...passed, colour: 'green' } satisfies RunSummary, { title: 'Nightly run', changes: report() });
    expect(page).toMatch(
      /^## ✅ Logout User API: all 9 tests passed\n\nNightly run\n\n### Changed since the last run\n\n1 change since the run of [^\n]+\n\n- Logout, logged-out token, at once: 401 → 403\n/,
    );
    expect(page).toMatch(/```\n\n\| Total \|/);
    expect(page).toContain('xychart-beta');
  });

  test('a change report older than the run it would describe is an earlier run’s, and is not shown', ({}, testInfo) => {
    const results = testInfo.outputPath('results.json');
    writeFileSync(results, JSON.stringify({ stats: { startTime: '2026-12-04T02:17:00.000Z' } }));
    writeFileSync(testInfo.outputPath('fingerprint-changes.json'), JSON.stringify(report('2026-12-03T02:30:00.000Z')));
    expect(changeReportBeside(results)).toBeUndefined();
    writeFileSync(testInfo.outputPath('fingerprint-changes.json'), JSON.stringify(report()));
    expect(changeReportBeside(results)?.changes).toHaveLength(1);
  });
});
