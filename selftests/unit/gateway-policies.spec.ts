/**
 * The gateway policies the reference leaves open (openapi/NOTES.md): waiting out a 429, a token's own
 * end, a refused live control, and a violation met by another rule's test reaching its own rule.
 */
import { expect, test } from '../fixtures';
import { expiryOf } from '../../helpers/auth-flow';
import { readFindings, recordFinding, rulesInRunVerdict, runVerdict, SPEC_DRIFT } from '../../helpers/foreign-findings';
import { controlLines, controlProbes } from '../../helpers/preflight';
import { cannotJudge, controlOf, notLiveControlNote } from '../../helpers/probe-controls';
import { createRedactor } from '../../helpers/redact';
import type { TokenOperation } from '../../helpers/operations';
import type { TransakApi } from '../../helpers/transak-api';
import { rateLimitWait } from '../../helpers/transak-api';
import { fakeExchange } from '../support/fake-exchange';

const jwt = (claims: object): string => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

test.describe('a 429 is paced, never judged', () => {
  test('Retry-After in seconds or as an HTTP date is honoured as given', () => {
    expect(rateLimitWait('3', 1, 0)).toBe(3000);
    expect(rateLimitWait('0', 4, 0)).toBe(0);
    const now = Date.parse('2026-12-04T10:00:00Z');
    expect(rateLimitWait('Fri, 04 Dec 2026 10:00:07 GMT', 1, now)).toBe(7000);
    expect(rateLimitWait('Fri, 04 Dec 2026 09:59:00 GMT', 1, now), 'a date in the past: go again at once').toBe(0);
  });

  test('without Retry-After: a backoff that doubles from 1 s up to 16 s, with under 250 ms of jitter', () => {
    const noJitter = (): number => 0;
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => rateLimitWait(undefined, n, 0, noJitter))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 16_000, 16_000,
    ]);
    expect(rateLimitWait('soon', 1, 0, () => 0.999)).toBe(1249);
  });
});

test.describe('a token ends by itself when the gateway says', () => {
  const verify = (data: object) => fakeExchange({ operationId: 'verify-user-otp', status: 200, body: { data } });

  test('the sooner of Verify’s ttl and the JWT’s exp', () => {
    const now = 1_000_000_000_000;
    expect(expiryOf(verify({ ttl: 45 }), 'not-a-jwt', now)).toBe(now + 45_000);
    expect(expiryOf(verify({}), jwt({ exp: now / 1000 + 30 }), now)).toBe(now + 30_000);
    expect(expiryOf(verify({ ttl: 2_592_000 }), jwt({ exp: now / 1000 + 45 }), now)).toBe(now + 45_000);
    expect(expiryOf(verify({ ttl: 20 }), jwt({ exp: now / 1000 + 45 }), now)).toBe(now + 20_000);
  });

  test('neither said, or said nonsense: no known end', () => {
    expect(expiryOf(verify({ ttl: 'soon' }), jwt({ exp: 'never' }), 0)).toBeUndefined();
    expect(expiryOf(verify({ ttl: -5 }), 'a.b.c', 0)).toBeUndefined();
  });
});

test.describe('every rejection probe has a live control', () => {
  test('a refused control is one line naming the operation, the status and the message', () => {
    const refused = controlOf(
      fakeExchange({ status: 401, statusText: 'Unauthorized', body: { error: { statusCode: 401, message: 'apiKey is required' } } }),
    );
    expect(cannotJudge('refresh-user-access-token', refused)).toBe(
      'cannot judge Refresh User Access Token: it refuses a live token (401 apiKey is required)',
    );
    expect(cannotJudge('get-user-details', controlOf(fakeExchange({ status: 403, statusText: 'Forbidden', bodyText: '' })))).toBe(
      'cannot judge Get User Details: it refuses a live token (403 Forbidden)',
    );
  });

  /** The preflight's controls against scripted statuses of Get User Details, Refresh and Logout (each in the order asked); `again` mints token-2. */
  const controlsAgainst = async (user: number[], refresh: number[], logout: number[], again?: 'again') => {
    const answers: Record<string, number[]> = { 'get-user-details': user, 'refresh-user-access-token': refresh, 'logout-user': logout };
    const asked: string[] = [];
    const api = {
      call: async (operation: TokenOperation, auth: string) => {
        asked.push(`${operation} ${auth}`);
        const status = answers[operation].shift()!;
        return fakeExchange({ operationId: operation, status, statusText: status === 200 ? 'OK' : 'Unauthorized' });
      },
    } as unknown as TransakApi;
    const controls = await controlProbes(api, 'token-1', createRedactor(), again && (async () => 'token-2'));
    return { controls, asked };
  };

  test('a token not live at a control (refused there and by Get User Details) is replaced once by a new login', async () => {
    const { controls, asked } = await controlsAgainst([200, 401, 200], [401, 200], [200], 'again');
    expect(asked).toEqual([
      'get-user-details token-1',
      'refresh-user-access-token token-1',
      'get-user-details token-1',
      'get-user-details token-2',
      'refresh-user-access-token token-2',
      'logout-user token-2',
    ]);
    expect(Object.values(controls).map((c) => c?.status)).toEqual([200, 200, 200]);
    const refusedAtOnce = await controlsAgainst([401, 200], [200], [200], 'again');
    expect(refusedAtOnce.asked).toEqual([
      'get-user-details token-1',
      'get-user-details token-2',
      'refresh-user-access-token token-2',
      'logout-user token-2',
    ]);
  });

  test("ended again, Logout's control proved nothing (its probes are judged, with a note), while a refused Refresh still cannot judge", async () => {
    const logout = await controlsAgainst([200, 401], [200], [401]);
    expect(cannotJudge('logout-user', logout.controls['logout-user'])).toBeUndefined();
    expect(notLiveControlNote('logout-user', logout.controls['logout-user'])).toBe(
      "Logout refused the preflight's token (401 Unauthorized), and so did Get User Details, twice: no live token reached its control, so Logout's refusals here are judged without one",
    );
    const refresh = await controlsAgainst([200, 401], [401], [401]);
    expect(cannotJudge('refresh-user-access-token', refresh.controls['refresh-user-access-token'])).toMatch(/^cannot judge Refresh/);
  });

  test('a refused Logout of a token that still works is a Logout that refuses live tokens', async () => {
    const live = await controlsAgainst([200, 200], [200], [401], 'again');
    expect(live.asked).toHaveLength(4);
    expect(cannotJudge('logout-user', live.controls['logout-user'])).toBe(
      'cannot judge Logout: it refuses a live token (401 Unauthorized)',
    );
    expect(notLiveControlNote('logout-user', live.controls['logout-user'])).toBeUndefined();
    const accepted = await controlsAgainst([200], [200], [200], 'again');
    expect(accepted.asked).toEqual(['get-user-details token-1', 'refresh-user-access-token token-1', 'logout-user token-1']);
    expect(accepted.controls['logout-user']).toEqual({ status: 200, message: 'OK' });
  });

  test('what the preflight prints of its controls hides a token the gateway echoed in its message', () => {
    const echoed = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlY2hvZWQifQ.c2lnbmF0dXJlLW9mLWEtdG9rZW4';
    const refused = { status: 401, message: `token ${echoed} is not accepted` };
    const lines = controlLines(
      { 'get-user-details': refused, 'refresh-user-access-token': refused, 'logout-user': { ...refused, notLive: true } },
      createRedactor(),
    );
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^cannot judge Get User Details: it refuses a live token \(401 token eyJhbG/);
    for (const line of lines) expect(line).not.toContain(echoed.slice(-20));
  });

  test('an accepted control judges; a missing one does not', () => {
    expect(cannotJudge('logout-user', { status: 200, message: 'OK' })).toBeUndefined();
    expect(cannotJudge('logout-user', undefined)).toMatch(/^cannot judge Logout: no live control of it ran in this run/);
  });
});

test.describe('one bug, one red rule: the run-level verdict', () => {
  test('findings met by other rules’ tests are listed under their own rule, once each, and named back', ({}, testInfo) => {
    const dir = testInfo.outputPath();
    recordFinding(dir, { rule: 'R1', metBy: 'R2 › a token logged out with no body', violations: ['logout_schema_violation: x'] });
    recordFinding(dir, { rule: 'R1', metBy: 'R6 › two users', violations: ['logout_schema_violation: x'] });
    recordFinding(dir, { rule: 'R4', metBy: 'R7 › 5 simultaneous logouts', violations: ['not_a_server_error: 500'] });
    recordFinding(dir, { rule: SPEC_DRIFT, metBy: 'R5 › GET', violations: ['schema_violation: no kyc'] });
    const verdict = runVerdict(readFindings(dir))!;
    expect(verdict.split('\n')).toEqual([
      'R1 · Logout of a fresh token answers 200 with the documented JSON body: broken, as met by tests of other rules (run-level verdict)',
      expect.stringMatching(/^ {2}- logout_schema_violation: x \(met by R(2|6) › /),
      'R4 · No 5xx and no echoed token: broken, as met by tests of other rules (run-level verdict)',
      '  - not_a_server_error: 500 (met by R7 › 5 simultaneous logouts)',
      "Spec drift: a supporting endpoint's answer moved from its documented schema (no verdict rule: decide whether the reference or the server moved)",
      '  - schema_violation: no kyc (met by R5 › GET)',
    ]);
    expect(rulesInRunVerdict(`RunVerdictError: ${verdict}`)).toEqual(['R1', 'R4']);
  });

  test('no finding, no run-level verdict', () => {
    expect(runVerdict([])).toBeUndefined();
    expect(rulesInRunVerdict('PreflightError: preflight failed')).toEqual([]);
  });
});
