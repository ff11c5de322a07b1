// Each fault mode does what its catalogue entry says, through the emulator in process. Titles and
// rules come from the catalogue (emulator/faults.ts); a mode without a test here is still proven to
// change something (catalogue.spec.ts) and to be caught or spared (the kill matrix).
import { decodeJwt } from 'jose';
import { expect, test } from '../fixtures';
import { createSchemaValidator } from '../../helpers/schema-validator';
import { KILL_MATRIX_RATE_LIMIT_EVERY, KILL_MATRIX_TOKEN_TTL_SECONDS } from '../../emulator/policies';
import { REVOCATION_DELAY_MS, REVOCATION_WEARS_OFF_MS, SLOW_LOGOUT_MS, findMode, type ModeName } from '../../emulator/faults';
import {
  API_KEY,
  EmulatorClient,
  ManualClock,
  PARTNER_HEADERS,
  expectError,
  expectLogoutOk,
  expectTokenRejected,
  signedWithOtherKey,
  tampered,
  uniqueEmail,
  unsigned,
} from '../support/emulator-client';

/** A test of one mode, titled from its catalogue entry, with an in-process emulator in that mode on a manual clock. */
function modeTest(name: ModeName, body: (emulator: { client: EmulatorClient; clock: ManualClock }) => Promise<void>): void {
  const mode = findMode(name)!;

  // eslint-disable-next-line playwright/expect-expect -- the assertions are in `body`, one per mode below
  test(`${mode.kind} ${name}: ${mode.summary}`, async ({ newClient, clock }) => {
    await body({ client: newClient({ faults: [name], clock: clock.read, otpCooldownMs: 0 }), clock });
  });
}

modeTest('logout-204-no-body', async ({ client }) => {
  const res = await client.logout(await client.token());
  expect(res.statusCode).toBe(204);
  expect(res.body).toBe('');
});

modeTest('logout-201', async ({ client }) => {
  const res = await client.logout(await client.token());
  expect(res.statusCode).toBe(201);
  expect(res.json()).toEqual({ data: { message: 'User logged out successfully' } });
});

modeTest('logout-200-without-data', async ({ client }) => {
  const res = await client.logout(await client.token());
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ message: 'User logged out successfully' });
});

modeTest('logout-message-not-string', async ({ client }) => {
  const res = await client.logout(await client.token());
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ data: { message: 123 } });
});

modeTest('logout-text-plain', async ({ client }) => {
  const token = await client.token();
  const res = await client.logout(token);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  expect(JSON.parse(res.body)).toEqual({ data: { message: 'User logged out successfully' } });
  expectTokenRejected(await client.user(token)); // the logout itself still works
});

modeTest('logout-does-not-revoke', async ({ client }) => {
  const token = await client.token();
  expectLogoutOk(await client.logout(token));
  expect((await client.user(token)).statusCode).toBe(200);
  expect((await client.refresh(token)).statusCode).toBe(200);
});

modeTest('user-details-ignores-revocation', async ({ client }) => {
  const token = await client.token();
  expectLogoutOk(await client.logout(token));
  expect((await client.user(token)).statusCode).toBe(200);
  expectTokenRejected(await client.refresh(token));
});

modeTest('refresh-ignores-revocation', async ({ client }) => {
  const token = await client.token();
  expectLogoutOk(await client.logout(token));
  const refresh = await client.refresh(token);
  expect(refresh.statusCode).toBe(200);
  expect(typeof refresh.json().data.accessToken).toBe('string');
  expectTokenRejected(await client.user(token));
});

modeTest('logout-replay-accepted', async ({ client }) => {
  const token = await client.token();
  expectLogoutOk(await client.logout(token));
  expectLogoutOk(await client.logout(token));
  expectTokenRejected(await client.user(token));
});

modeTest('revocation-delayed', async ({ client, clock }) => {
  const token = await client.token();
  expectLogoutOk(await client.logout(token));
  expect((await client.user(token)).statusCode).toBe(200);
  clock.advance(REVOCATION_DELAY_MS);
  expectTokenRejected(await client.user(token));
});

modeTest('revocation-wears-off', async ({ client, clock }) => {
  const token = await client.token();
  expectLogoutOk(await client.logout(token));
  expectTokenRejected(await client.user(token));
  clock.advance(REVOCATION_WEARS_OFF_MS);
  expect((await client.user(token)).statusCode).toBe(200);
});

modeTest('rejection-without-error-wrapper', async ({ client }) => {
  const res = await client.logout('not-a-token');
  expect(res.statusCode).toBe(401);
  expect(res.json()).toEqual({ statusCode: 401, message: 'Token missing, invalid or expired' });
});

modeTest('rejection-status-mismatch', async ({ client }) => {
  const res = await client.user(undefined);
  expect(res.statusCode).toBe(401);
  expect(res.json().error).toMatchObject({ statusCode: 400, name: 'UnauthorizedError', errorCode: 1002 });
});

modeTest('rejection-as-200', async ({ client }) => {
  const token = await client.token();
  expectLogoutOk(await client.logout(token));
  for (const res of [await client.user(token), await client.refresh(token), await client.logout(token)]) {
    expect(res.statusCode).toBe(200);
    expect(res.json().error).toMatchObject({ statusCode: 401, errorCode: 1002 });
  }
  expectTokenRejected(await client.user('not-a-token'));
});

modeTest('logout-400-without-name', async ({ client }) => {
  const res = await client.logout('not-a-token');
  expect(res.statusCode).toBe(400);
  expect(res.json()).toEqual({ error: { statusCode: 400, message: 'Token missing, invalid or expired', errorCode: 1002 } });
  expectTokenRejected(await client.user('not-a-token'));
});

modeTest('rejection-not-json', async ({ client }) => {
  const res = await client.user('not-a-token');
  expect(res.statusCode).toBe(401);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  expect(res.body).toBe('Unauthorized');
});

modeTest('missing-header-accepted', async ({ client }) => {
  expectLogoutOk(await client.logout(undefined));
  expectTokenRejected(await client.logout(''));
  expectTokenRejected(await client.user(undefined));
});

modeTest('empty-header-accepted', async ({ client }) => {
  expectLogoutOk(await client.logout(''));
  expectTokenRejected(await client.logout(undefined));
});

modeTest('random-token-accepted', async ({ client }) => {
  expectLogoutOk(await client.logout('not-a-token'));
  expectTokenRejected(await client.logout(tampered(await client.token())));
});

modeTest('signature-not-checked', async ({ client }) => {
  const live = await client.token();
  expect((await client.user(tampered(live))).statusCode).toBe(200);
  expect((await client.refresh(await signedWithOtherKey(live))).statusCode).toBe(200);
  expectLogoutOk(await client.logout(await signedWithOtherKey(live)));
  expectTokenRejected(await client.user(live)); // the forged logout killed the real session
  expectTokenRejected(await client.user('not-a-token'));
});

modeTest('alg-none-accepted', async ({ client }) => {
  const live = await client.token();
  expect((await client.user(unsigned(live))).statusCode).toBe(200);
  expectTokenRejected(await client.user(tampered(live)));
  expectLogoutOk(await client.logout(unsigned(live)));
});

modeTest('missing-header-500', async ({ client }) => {
  const res = await client.logout(undefined);
  expect(res.statusCode).toBe(500);
  expect(res.json().error.stack).toContain('TypeError');
  expectTokenRejected(await client.logout(''));
});

modeTest('bearer-prefix-500', async ({ client }) => {
  const token = await client.token();
  const res = await client.logout(`Bearer ${token}`);
  expect(res.statusCode).toBe(500);
  expect(res.json().error.stack).toMatch(/\n\s+at /);
  expectLogoutOk(await client.logout(token));
});

modeTest('token-echoed-in-body', async ({ client }) => {
  const token = await client.token();
  const res = await client.logout(token);
  expect(res.statusCode).toBe(200);
  expect(res.json().data).toEqual({ message: 'User logged out successfully', token });
});

modeTest('token-echoed-in-header', async ({ client }) => {
  const token = await client.token();
  await client.logout(token);
  const res = await client.user(token);
  expect(res.statusCode).toBe(401);
  expect(res.headers['x-rejected-token']).toBe(token);
});

modeTest('token-echoed-in-error-message', async ({ client }) => {
  const res = await client.logout('not-a-token');
  expect(res.statusCode).toBe(401);
  expect(res.json().error.message).toContain('not-a-token');
});

modeTest('user-details-500-after-logout', async ({ client }) => {
  const token = await client.token();
  expectLogoutOk(await client.logout(token));
  const res = await client.user(token);
  expect(res.statusCode).toBe(500);
  expect(res.json()).toEqual({ error: { statusCode: 500, name: 'InternalServerError', message: 'Internal Server Error' } });
  expectTokenRejected(await client.refresh(token));
});

modeTest('refresh-500-after-logout', async ({ client }) => {
  const token = await client.token();
  expectLogoutOk(await client.logout(token));
  expect((await client.refresh(token)).statusCode).toBe(500);
  expectTokenRejected(await client.user(token));
});

modeTest('logout-replay-500', async ({ client }) => {
  const token = await client.token();
  expectLogoutOk(await client.logout(token));
  expect((await client.logout(token)).statusCode).toBe(500);
});

modeTest('get-logs-out', async ({ client }) => {
  const token = await client.token();
  const res = await client.logout(token, 'GET');
  expectError(res, 405, 9002);
  expectTokenRejected(await client.user(token));
});

modeTest('other-methods-accepted', async ({ client }) => {
  for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
    const token = await client.token();
    expectLogoutOk(await client.logout(token, method));
    expectTokenRejected(await client.user(token));
  }
  expect((await client.logout(await client.token(), 'GET')).statusCode).toBe(405);
});

modeTest('logout-revokes-all-users', async ({ client }) => {
  const alice = await client.token();
  const bob = await client.token();
  expectLogoutOk(await client.logout(alice));
  expectTokenRejected(await client.user(bob));
  expect((await client.user(await client.token())).statusCode).toBe(200); // issued after the logout
});

modeTest('concurrent-logout-500', async ({ client }) => {
  const token = await client.token();
  const statuses = (await Promise.all([1, 2, 3].map(() => client.logout(token)))).map((r) => r.statusCode).sort();
  expect(statuses).toEqual([200, 500, 500]);
  expectTokenRejected(await client.user(token));
  // One at a time it behaves.
  const other = await client.token();
  expectLogoutOk(await client.logout(other));
  expectTokenRejected(await client.logout(other));
});

modeTest('slow-logout', async ({ client }) => {
  const token = await client.token();
  const started = Date.now();
  expectLogoutOk(await client.logout(token));
  expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_LOGOUT_MS - 50);
  expectTokenRejected(await client.logout(token));
});

modeTest('reject-as-400', async ({ client }) => {
  const token = await client.token();
  expectLogoutOk(await client.logout(token));
  const res = await client.logout(token);
  expectError(res, 400, 1002);
  expect(res.json().error.name).toBe('BadRequestError');
});

modeTest('reject-as-403', async ({ client }) => {
  expectError(await client.user(undefined), 403, 1002);
});

modeTest('error-codes-shape', async ({ client }) => {
  const rejected = await client.logout('not-a-token');
  expect(rejected.statusCode).toBe(401);
  expect(rejected.json()).toEqual({ error: { statusCode: 401, message: 'Token missing, invalid or expired', errorCode: 1002 } });
  const invalid = await client.inject({ method: 'POST', url: '/api/v2/auth/login', headers: PARTNER_HEADERS, payload: {} });
  expectError(invalid, 400, 9001); // keeps name where logout documents it
});

modeTest('bad-signature-403', async ({ client }) => {
  const live = await client.token();
  expectError(await client.logout(tampered(live)), 403, 1002);
  expectError(await client.logout(await signedWithOtherKey(live)), 403, 1002);
  expectTokenRejected(await client.logout('not-a-token'));
  expectTokenRejected(await client.logout(unsigned(live)));
});

modeTest('extra-fields-and-charset', async ({ client }) => {
  const token = await client.token();
  const res = await client.logout(token);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('Application/JSON; Charset=UTF-8');
  const body = res.json();
  expect(body.data.message).toBe('User logged out successfully');
  expect(typeof body.data.requestId).toBe('string');
  expect(body.meta).toBeDefined();
  const rejected = await client.logout(token);
  expect(rejected.statusCode).toBe(401);
  expect(rejected.json().error).toMatchObject({ statusCode: 401, name: 'UnauthorizedError', errorCode: 1002 });
  const missing = await client.inject({ method: 'GET', url: '/nowhere', headers: PARTNER_HEADERS });
  expect(missing.headers['content-type']).toBe('Application/JSON; Charset=UTF-8');
});

modeTest('bearer-tolerated', async ({ client }) => {
  const token = await client.token();
  expect((await client.user(`Bearer ${token}`)).statusCode).toBe(200);
  expectLogoutOk(await client.logout(`Bearer ${token}`));
  expectTokenRejected(await client.user(token));
});

modeTest('same-user-sessions-revoked', async ({ client }) => {
  const email = uniqueEmail('alice');
  const first = await client.token(email);
  const second = await client.token(email);
  const bob = await client.token();
  expectLogoutOk(await client.logout(first));
  expectTokenRejected(await client.user(second));
  expect((await client.user(bob)).statusCode).toBe(200);
});

modeTest('bearer-accepted-without-revoking', async ({ client }) => {
  const token = await client.token();
  expect((await client.user(`Bearer ${token}`)).statusCode).toBe(200);
  expectLogoutOk(await client.logout(`Bearer ${token}`));
  expect((await client.user(token)).statusCode, 'the Bearer logout revoked nothing').toBe(200);
  expectTokenRejected(await client.logout(`Bearer ${tampered(token)}`));
  expectLogoutOk(await client.logout(token)); // a bare logout still revokes
  expectTokenRejected(await client.user(token));
});

modeTest('concurrent-logouts-all-refused', async ({ client }) => {
  const token = await client.token();
  const answers = await Promise.all([1, 2, 3].map(() => client.logout(token)));
  expect(answers.map((r) => r.statusCode)).toEqual([409, 409, 409]);
  expect(answers[0].json().error).toMatchObject({ statusCode: 409, errorCode: 9005 });
  expectTokenRejected(await client.user(token)); // revoked all the same
  const other = await client.token();
  expectLogoutOk(await client.logout(other)); // alone, a logout succeeds
});

modeTest('logout-apikey-body-revokes-nothing', async ({ client }) => {
  const token = await client.token();
  expectLogoutOk(await client.logoutWithBody(token, { apiKey: API_KEY }));
  expect((await client.user(token)).statusCode, 'the token survived its logout').toBe(200);
  for (const logout of [(t: string) => client.logout(t), (t: string) => client.logoutWithBody(t, {})]) {
    const other = await client.token();
    expectLogoutOk(await logout(other));
    expectTokenRejected(await client.user(other));
  }
});

modeTest('logout-json-body-crashes', async ({ client }) => {
  for (const body of [{}, { apiKey: API_KEY }]) {
    const res = await client.logoutWithBody(await client.token(), body);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { statusCode: 500, name: 'InternalServerError', message: 'Internal Server Error' } });
  }
  expectLogoutOk(await client.logout(await client.token()));
});

modeTest('logout-drift-and-no-revocation', async ({ client }) => {
  const token = await client.token();
  const res = await client.logout(token);
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ data: { message: 123 } });
  expect((await client.user(token)).statusCode).toBe(200);
});

modeTest('user-details-drift-and-no-revocation', async ({ client }) => {
  const token = await client.token();
  const before = await client.user(token);
  expect(before.statusCode).toBe(200);
  expect(before.json().data.kyc).toBeUndefined();
  expect(before.json().data.email).toMatch(/@example\.test$/);
  expectLogoutOk(await client.logout(token));
  expect((await client.user(token)).statusCode).toBe(200);
});

modeTest('logout-body-off-schema', async ({ client }) => {
  const token = await client.token();
  const res = await client.logout(token);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.json()).toEqual({ data: { loggedOut: true } });
  expect(createSchemaValidator().problems('logout-user', 200, res.json()), 'the body breaks User_logout-user_Response_200').not.toEqual([]);
  // Only the body is wrong: the token is dead, and dead tokens are rejected as usual.
  expectTokenRejected(await client.user(token));
  expectTokenRejected(await client.refresh(token));
  expectTokenRejected(await client.logout(token));
});

modeTest('refresh-needs-query-revives-logged-out', async ({ client }) => {
  const live = await client.token();
  expectError(await client.refresh(live), 401, 1001); // without the query, everything is refused
  expect((await client.refresh(live, API_KEY)).statusCode).toBe(200);
  expectLogoutOk(await client.logout(live));
  expectError(await client.refresh(live), 401, 1001); // a client that never sends the query sees a rejection
  const revived = await client.refresh(live, API_KEY);
  expect(revived.statusCode, 'given the query, a logged-out token is refreshed').toBe(200);
  expect((await client.user(revived.json().data.accessToken as string)).statusCode).toBe(200);
  expectTokenRejected(await client.user(live));
});

modeTest('one-session-per-user', async ({ client }) => {
  const email = uniqueEmail('alice');
  const first = await client.token(email);
  const bob = await client.token();
  const second = await client.token(email);
  expectTokenRejected(await client.user(first));
  expectTokenRejected(await client.refresh(first));
  expect((await client.user(second)).statusCode).toBe(200);
  expect((await client.user(bob)).statusCode).toBe(200);
});

for (const [name, retryAfter] of [
  ['rate-limited-429-retry-after', '1'],
  ['rate-limited-429-no-retry-after', undefined],
] as const) {
  modeTest(name, async ({ client }) => {
    const token = await client.token(); // requests 1 and 2
    const answers = [];
    for (let n = 3; n <= 2 * KILL_MATRIX_RATE_LIMIT_EVERY; n++) answers.push(await client.user(token));
    const limited = answers.filter((res) => res.statusCode === 429);
    expect(answers.map((res) => res.statusCode)).toEqual(
      Array.from({ length: answers.length }, (_, i) => ((i + 3) % KILL_MATRIX_RATE_LIMIT_EVERY === 0 ? 429 : 200)),
    );
    for (const res of limited) {
      expect(res.headers['retry-after']).toBe(retryAfter);
      expect(res.json().error).toMatchObject({ statusCode: 429, message: expect.any(String) });
    }
  });
}

modeTest('short-token-lifetime', async ({ client, clock }) => {
  const email = uniqueEmail();
  const login = await client.login(email);
  const verify = await client.verify(email, login.json().data.stateToken);
  expect(verify.json().data.ttl).toBe(KILL_MATRIX_TOKEN_TTL_SECONDS);
  const token = verify.json().data.accessToken as string;
  const { iat, exp } = decodeJwt(token);
  expect(exp).toBe(iat! + KILL_MATRIX_TOKEN_TTL_SECONDS);
  expect((await client.user(token)).statusCode).toBe(200);
  clock.advance(KILL_MATRIX_TOKEN_TTL_SECONDS * 1000);
  expectTokenRejected(await client.user(token));
  expectTokenRejected(await client.refresh(token));
  expectTokenRejected(await client.logout(token));
});

modeTest('refresh-needs-api-key-query', async ({ client }) => {
  const token = await client.token();
  expectError(await client.refresh(token), 401, 1001);
  expect((await client.refresh(token, API_KEY)).statusCode).toBe(200);
  expectLogoutOk(await client.logout(token));
  expectTokenRejected(await client.refresh(token, API_KEY));
});
