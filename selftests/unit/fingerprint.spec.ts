import { expect, test } from '../fixtures';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuleId } from '../../helpers/rules';
import { createSchemaValidator } from '../../helpers/schema-validator';
import { buildFingerprint, NOT_OBSERVED, type Fingerprint } from '../../scripts/fingerprint-build';
import {
  compareFingerprints,
  DEFAULT_LATENCY_THRESHOLD,
  failOnFacets,
  latencyMoved,
  latencyThreshold,
} from '../../scripts/fingerprint-compare';
import { classify } from '../../scripts/fingerprint-kinds';
import type { Observation, RenderedExchange } from '../../scripts/fingerprint-read';
import type { ChangeReport } from '../../scripts/fingerprint-report';
import { changeReportBeside, withBehaviourSection, withPinnedChanges } from '../../scripts/fingerprint-summary';

const validator = createSchemaValidator();
const BASE = 'http://127.0.0.1:1';

function exchange(
  method: string,
  path: string,
  status: number,
  body: unknown,
  contentType = 'application/json; charset=utf-8',
  ms = 10,
): RenderedExchange {
  return {
    request: { method, url: `${BASE}${path}?apiKey=[redacted]`, headers: {} },
    response: { status, headers: { 'Content-Type': contentType }, body },
    timing: { ms },
  };
}

function observed(rule: RuleId | undefined, steps: string[], ex: RenderedExchange): Observation {
  return { rule, test: 'a test', steps, exchange: ex };
}

const rejection = (status: number, extra: Record<string, unknown> = {}) => ({
  error: { statusCode: status, message: 'Token missing, invalid or expired', ...extra },
});

test.describe('what kind of request an exchange was', () => {
  const cases: Array<[RuleId, string[], string, string, string]> = [
    [
      'R2',
      ['log out with no body', 'log out with no body → 200 with the documented JSON body'],
      'POST',
      '/api/v1/auth/logout',
      'Logout, live token',
    ],
    [
      'R2',
      ['Get User Details rejects it on the first call after logout'],
      'GET',
      '/api/v2/user/',
      'Get User Details, logged-out token, at once',
    ],
    [
      'R2',
      ['Refresh User Access Token still rejects it 3 s later'],
      'GET',
      '/api/v2/auth/refresh',
      'Refresh User Access Token, logged-out token, later',
    ],
    [
      'R3',
      ['Logout rejects a random string as token'],
      'POST',
      '/api/v1/auth/logout',
      'Logout, refused credential: a random string as token',
    ],
    ['R3', ['log out with "Bearer <token>"'], 'POST', '/api/v1/auth/logout', 'Logout, Bearer-prefixed live token'],
    ['R5', ['PUT /api/v1/auth/logout with a live token'], 'PUT', '/api/v1/auth/logout', 'Logout, other method PUT'],
    [
      'R6',
      ['ask Get User Details with the other session'],
      'GET',
      '/api/v2/user/',
      "Get User Details, same user's other session after a logout",
    ],
    ['R7', ['send 5 logouts at once'], 'POST', '/api/v1/auth/logout', 'Logout, concurrent logouts'],
    ['R8', ['logout 3 of 5'], 'POST', '/api/v1/auth/logout', 'Logout, live token'],
    [
      'R1',
      ['Before Hooks', 'live user token', 'fresh user token (Send User OTP → Verify User OTP)'],
      'POST',
      '/api/v2/auth/verify',
      'Verify User OTP, login',
    ],
  ];
  for (const [rule, steps, method, path, expected] of cases) {
    test(`${rule} "${steps.at(-1)}" is ${expected}`, () => {
      const { operation, kind } = classify(observed(rule, steps, exchange(method, path, 200, {})));
      expect(`${operation}, ${kind}`).toBe(expected);
    });
  }

  test('a step that does not say, a hand-on check, and rule 4’s mixed sweep give no kind (latency only)', () => {
    expect(
      classify(observed('R7', ['Get User Details rejects the token afterwards'], exchange('GET', '/api/v2/user/', 401, {}))).kind,
    ).toBeUndefined();
    expect(
      classify(
        observed(
          'R3',
          ['build a tampered token', 'a token handed on by an earlier test: control, it still works'],
          exchange('GET', '/api/v2/user/', 200, {}),
        ),
      ).kind,
    ).toBeUndefined();
    const sweep = ['log out with a JSON body, then the dead token to every token operation and every logout body'];
    expect(classify(observed('R4', sweep, exchange('GET', '/api/v2/user/', 401, {}))).kind).toBeUndefined();
  });
});

test.describe('the fingerprint of a run', () => {
  const observations = [
    observed(
      'R2',
      ['Get User Details rejects it on the first call after logout'],
      exchange('GET', '/api/v2/user/', 401, rejection(401, { name: 'UnauthorizedError', errorCode: 1002 })),
    ),
    observed(
      'R2',
      ['Logout rejects it on the first call after logout'],
      exchange('POST', '/api/v1/auth/logout', 403, rejection(403, { errorCode: 'qa+1@example.com' })),
    ),
    observed(
      'R2',
      ['Refresh User Access Token rejects it on the first call after logout'],
      exchange('GET', '/api/v2/auth/refresh', 400, { message: 'no' }, 'text/plain'),
    ),
    observed(
      'R1',
      ['fresh user token (Send User OTP → Verify User OTP)'],
      exchange('POST', '/api/v2/auth/verify', 200, { data: { accessToken: 'eyJhbG…[redacted, 300 chars]', ttl: 2592000, created: 'x' } }),
    ),
    observed('R1', ['fresh user token (Send User OTP → Verify User OTP)'], exchange('POST', '/api/v2/auth/login', 429, rejection(429))),
  ];

  test('records status, errorCode, shape and media type per kind, and never a value that is not a code', () => {
    const fp = buildFingerprint(observations, [], validator, 'gateway.test');
    expect(fp.answers['Get User Details, logged-out token, at once']).toMatchObject({
      status: ['401'],
      errorCode: ['1002'],
      shape: ['per-endpoint + errorCode {statusCode,name,message,errorCode}'],
      contentType: ['application/json'],
    });
    expect(fp.answers['Logout, logged-out token, at once']).toMatchObject({
      errorCode: ['present, not a code'],
      shape: ['error-codes {statusCode,message,errorCode}'],
    });
    expect(fp.answers['Refresh User Access Token, logged-out token, at once']).toMatchObject({
      shape: ['none'],
      contentType: ['text/plain'],
    });
    expect(JSON.stringify(fp)).not.toContain('@');
  });

  test('policies: the token lifetime Verify User OTP announced, 429s met; a missing annotation is "not observed"', () => {
    const fp = buildFingerprint(observations, [], validator, 'gateway.test');
    expect(fp.policies).toEqual({
      sameUserSessions: NOT_OBSERVED,
      sessionsPerUser: NOT_OBSERVED,
      rateLimiting: 'met (429)',
      tokenLifetime: '2592000 s',
    });
    const annotated = buildFingerprint(
      [],
      [
        { type: 'same-user sessions', description: 'other sessions are revoked by a logout (HTTP 401)' },
        { type: 'sessions per user', description: 'one session per user' },
      ],
      validator,
      'g',
    );
    expect(annotated.policies).toMatchObject({
      sameUserSessions: 'revoked',
      sessionsPerUser: 'one',
      rateLimiting: NOT_OBSERVED,
      tokenLifetime: NOT_OBSERVED,
    });
  });

  test('latency: p50 and p95 of successful logouts, and of each operation', () => {
    const logouts = [10, 20, 30, 40, 500].map((ms) =>
      observed('R8', [`logout 1 of 5`], exchange('POST', '/api/v1/auth/logout', 200, { data: { message: 'ok' } }, 'application/json', ms)),
    );
    const fp = buildFingerprint(
      [
        ...logouts,
        observed(
          'R2',
          ['Logout rejects it on the first call after logout'],
          exchange('POST', '/api/v1/auth/logout', 401, rejection(401), 'application/json', 5),
        ),
      ],
      [],
      validator,
      'g',
    );
    expect(fp.latency.logout).toEqual({ p50Ms: 30, p95Ms: 500, count: 5 });
    expect(fp.latency.operations.Logout).toEqual({ p50Ms: 20, p95Ms: 500, count: 6 });
  });
});

test.describe('what counts as a change', () => {
  test('latency: at least 100 ms and at least half the earlier p95 (a p95 from 180 to 420 ms is one; jitter is not)', () => {
    expect(DEFAULT_LATENCY_THRESHOLD).toEqual({ ms: 100, ratio: 0.5 });
    expect(latencyMoved(180, 420, DEFAULT_LATENCY_THRESHOLD)).toBe(true);
    expect(latencyMoved(420, 180, DEFAULT_LATENCY_THRESHOLD)).toBe(true);
    expect(latencyMoved(180, 230, DEFAULT_LATENCY_THRESHOLD)).toBe(false);
    expect(latencyMoved(20, 110, DEFAULT_LATENCY_THRESHOLD)).toBe(false);
    expect(latencyMoved(400, 550, DEFAULT_LATENCY_THRESHOLD)).toBe(false);
    expect(latencyThreshold({ TRANSAK_LATENCY_CHANGE_MS: '1000' })).toEqual({ ms: 1000, ratio: 0.5 });
    expect(() => latencyThreshold({ TRANSAK_LATENCY_CHANGE_MS: '1s' })).toThrow(/whole number of milliseconds/);
  });

  test('TRANSAK_FAIL_ON_CHANGE names facets, or any; a misspelt one stops with the list', () => {
    expect(failOnFacets({})).toEqual([]);
    expect(failOnFacets({ TRANSAK_FAIL_ON_CHANGE: 'errorCode, status' })).toEqual(['status', 'errorCode']);
    expect(failOnFacets({ TRANSAK_FAIL_ON_CHANGE: 'any' })).toHaveLength(6);
    expect(() => failOnFacets({ TRANSAK_FAIL_ON_CHANGE: 'stauts' })).toThrow(
      'unknown stauts; choose from status, errorCode, shape, contentType, policy, latency or any',
    );
  });

  test('only what both runs observed is compared; each facet has its own line', () => {
    const fp = (over: Partial<Fingerprint>): Fingerprint => ({
      version: 1,
      recordedAt: 'x',
      target: 'g',
      answers: {},
      policies: { sameUserSessions: 'survive', sessionsPerUser: NOT_OBSERVED, rateLimiting: 'not met', tokenLifetime: '2592000 s' },
      latency: { logout: { p50Ms: 100, p95Ms: 180, count: 5 }, operations: {} },
      ...over,
    });
    const answer = (status: string, errorCode: string, contentType = 'application/json') => ({
      operation: 'Logout',
      kind: 'k',
      status: [status],
      errorCode: [errorCode],
      shape: ['s'],
      contentType: [contentType],
      count: 1,
    });
    const before = fp({ answers: { 'Logout, k': answer('401', '1002'), 'Logout, only before': answer('401', '1002') } });
    const after = fp({
      answers: { 'Logout, k': answer('403', 'none', 'text/plain') },
      policies: { sameUserSessions: NOT_OBSERVED, sessionsPerUser: 'one', rateLimiting: 'met (429)', tokenLifetime: '3600 s' },
      latency: { logout: { p50Ms: 100, p95Ms: 420, count: 5 }, operations: {} },
    });
    const { changes, notCompared } = compareFingerprints(before, after);
    expect(changes).toEqual([
      { facet: 'status', line: 'Logout, k: 401 → 403' },
      { facet: 'errorCode', line: 'Logout, k: errorCode 1002 → none' },
      { facet: 'contentType', line: 'Logout, k: content type application/json → text/plain' },
      { facet: 'policy', line: 'rate limiting: not met → met (429)' },
      { facet: 'policy', line: 'token lifetime (Verify User OTP ttl): 2592000 s → 3600 s' },
      { facet: 'latency', line: 'logout p95: 180 ms → 420 ms' },
    ]);
    expect(notCompared).toEqual(['Logout, only before']);
    expect(compareFingerprints(before, before).changes).toEqual([]);
  });
});

test.describe('the job summary’s section', () => {
  const report = (over: Partial<ChangeReport> = {}): ChangeReport => ({
    recordedAt: '2026-12-04T02:30:00.000Z',
    previousRecordedAt: '2026-12-03T02:30:00.000Z',
    targetChanged: null,
    changes: [{ facet: 'status', line: 'Logout, logged-out token, at once: 401 → 403' }],
    notCompared: [],
    latencyThreshold: DEFAULT_LATENCY_THRESHOLD,
    failOn: [],
    failing: [],
    trend: [{ at: '2026-12-04T02:30:00.000Z', logoutP95Ms: 180 }],
    ...over,
  });

  test('sits under the headline with the colour, and the title, before the counts; a pinned change turns the colour red with its reason', () => {
    const page = withBehaviourSection('## ✅ Logout User API: all 9 tests passed\n\nNightly run\n\n| Total |\n', report());
    expect(page).toMatch(
      /^## ✅ Logout User API: all 9 tests passed\n\nNightly run\n\n### Changed since the last run\n\n1 change since the run of [^\n]+\n\n- Logout, logged-out token, at once: 401 → 403\n/,
    );
    expect(page).toMatch(/```\n\n\| Total \|\n$/);
    expect(page).toContain('xychart-beta');
    expect(withPinnedChanges({ colour: 'green' as const, runErrors: [] }, report())).toEqual({ colour: 'green', runErrors: [] });
    expect(
      withPinnedChanges(
        { colour: 'green' as const, runErrors: [] },
        report({ failOn: ['status'], failing: ['Logout, logged-out token, at once: 401 → 403'] }),
      ),
    ).toEqual({
      colour: 'red',
      runErrors: ['pinned behaviour changed (TRANSAK_FAIL_ON_CHANGE=status): Logout, logged-out token, at once: 401 → 403'],
    });
  });

  test('a change report older than the run it would describe is an earlier run’s, and is not shown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fingerprint-summary-'));
    try {
      const results = join(dir, 'results.json');
      writeFileSync(results, JSON.stringify({ stats: { startTime: '2026-12-04T02:17:00.000Z' } }));
      writeFileSync(join(dir, 'fingerprint-changes.json'), JSON.stringify(report({ recordedAt: '2026-12-03T02:30:00.000Z' })));
      expect(changeReportBeside(results)).toBeUndefined();
      writeFileSync(join(dir, 'fingerprint-changes.json'), JSON.stringify(report()));
      expect(changeReportBeside(results)?.changes).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
