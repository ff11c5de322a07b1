import { decodeJwt } from 'jose';
import { expect, test } from '../fixtures';
import {
  API_KEY,
  LOGIN_PATH,
  LOGOUT_PATH,
  REFRESH_PATH,
  USER_URL,
  PARTNER_HEADERS,
  expectError,
  expectLogoutOk,
  expectTokenRejected,
  tokenVariants,
  uniqueEmail,
} from '../support/emulator-client';

test('happy flow: login, verify, user details, refresh, logout, then rejected everywhere', async ({ client }) => {
  const email = uniqueEmail();
  const login = await client.login(email);
  expect(login.statusCode).toBe(200);
  const sent = login.json().data;
  expect(sent).toMatchObject({ isTncAccepted: true, email, expiresIn: 600 });
  expect(sent.stateToken).toMatch(/^[\w-]{43}$/);

  const verify = await client.verify(email, sent.stateToken);
  expect(verify.statusCode).toBe(200);
  const { accessToken, ttl, created } = verify.json().data;
  expect(ttl).toBe(2592000);
  expect(new Date(created).toISOString()).toBe(created);

  const claims = decodeJwt(accessToken);
  expect(claims).toMatchObject({ sub: email, iss: 'transak-emulator', aud: 'transak-whitelabel', partner_api_key: API_KEY });
  expect(claims.exp! - claims.iat!).toBe(2592000);
  expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);

  const user = await client.user(accessToken);
  expect(user.statusCode).toBe(200);
  const details = user.json().data;
  expect(details).toMatchObject({ email, status: 'ACTIVE', kyc: { status: 'NOT_SUBMITTED', type: null } });
  expect((await client.user(await client.token(email.replace('user', 'other')))).json().data.partnerUserId).not.toBe(details.partnerUserId);

  const refresh = await client.refresh(accessToken);
  expect(refresh.statusCode).toBe(200);
  const refreshed = refresh.json().data.accessToken;
  expect(decodeJwt(refreshed).sub).toBe(email);
  expect(decodeJwt(refreshed).jti).not.toBe(claims.jti);
  expect((await client.user(accessToken)).statusCode).toBe(200); // no rotation

  expectLogoutOk(await client.logout(accessToken));
  expectTokenRejected(await client.user(accessToken));
  expectTokenRejected(await client.refresh(accessToken));
  expectTokenRejected(await client.logout(accessToken));
  // Only the presented token's session ends; the refreshed one is a session of its own.
  expect((await client.user(refreshed)).statusCode).toBe(200);
});

test('partnerUserId is stable for an email', async ({ client, newClient }) => {
  const email = uniqueEmail();
  const first = (await client.user(await client.token(email))).json().data.partnerUserId;
  const other = newClient({ otpCooldownMs: 0 });
  expect((await other.user(await other.token(email))).json().data.partnerUserId).toBe(first);
});

test('one user logging out leaves another user working', async ({ client }) => {
  const alice = await client.token();
  const bob = await client.token();
  expectLogoutOk(await client.logout(alice));
  expect((await client.user(bob)).statusCode).toBe(200);
});

for (const method of ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
  test(`${method} on the logout path is 405 with Allow: POST and logs nobody out`, async ({ client }) => {
    const token = await client.token();
    const res = await client.logout(token, { method });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    if (method !== 'HEAD') expectError(res, 405, 9002);
    expect((await client.user(token)).statusCode).toBe(200);
  });
}

test('every token variant the suite sends is rejected with 401/1002 on all three routes', async ({ client }) => {
  const live = await client.token();
  for (const [name, value] of await tokenVariants(live)) {
    await test.step(name, async () => {
      expectTokenRejected(await client.logout(value));
      expectTokenRejected(await client.user(value));
      expectTokenRejected(await client.refresh(value));
    });
  }
  expect((await client.user(live)).statusCode).toBe(200); // none of it logged the live token out
});

test('x-api-key and x-user-ip are required on every route (401/1001)', async ({ client }) => {
  const token = await client.token();
  const cases: Array<[string, Record<string, string>]> = [
    ['no key', { 'x-user-ip': '203.0.113.7' }],
    ['wrong key', { 'x-api-key': 'nope', 'x-user-ip': '203.0.113.7' }],
    ['no ip', { 'x-api-key': API_KEY }],
    ['empty ip', { 'x-api-key': API_KEY, 'x-user-ip': '' }],
  ];
  for (const [name, headers] of cases) {
    await test.step(name, async () => {
      const auth = { ...headers, authorization: token };
      expectError(await client.inject({ method: 'POST', url: LOGOUT_PATH, headers: auth }), 401, 1001);
      expectError(await client.inject({ method: 'GET', url: USER_URL, headers: auth }), 401, 1001);
      expectError(await client.inject({ method: 'GET', url: REFRESH_PATH, headers: auth }), 401, 1001);
      const body = { apiKey: API_KEY, email: uniqueEmail() };
      expectError(await client.inject({ method: 'POST', url: LOGIN_PATH, headers, payload: body }), 401, 1001);
    });
  }
  expect((await client.user(token)).statusCode).toBe(200);
});

test('the apiKey in the body or query must match too', async ({ client }) => {
  expectError(await client.login(uniqueEmail(), 'wrong-key'), 401, 1001);
  const token = await client.token();
  for (const url of ['/api/v2/user/?apiKey=wrong', '/api/v2/user/'])
    expectError(await client.inject({ method: 'GET', url, headers: { ...PARTNER_HEADERS, authorization: token } }), 401, 1001);
});

test('malformed login and verify bodies are 400/9001 without echoing the body', async ({ client }) => {
  const post = (url: string, payload: string, type = 'application/json') =>
    client.inject({ method: 'POST', url, headers: { ...PARTNER_HEADERS, 'content-type': type }, payload });
  const badJson = await post(LOGIN_PATH, `{"apiKey":"${API_KEY}",`);
  expectError(badJson, 400, 9001);
  expect(badJson.body).not.toContain(API_KEY);
  expectError(await post(LOGIN_PATH, JSON.stringify({ apiKey: API_KEY })), 400, 9001);
  expectError(await post(LOGIN_PATH, JSON.stringify({ apiKey: API_KEY, email: 'no-at-sign' })), 400, 9001);
  expectError(await post(LOGIN_PATH, ''), 400, 9001);
  expectError(await post(LOGIN_PATH, 'apiKey=x', 'text/plain'), 400, 9001);
  expectError(await post('/api/v2/auth/verify', JSON.stringify({ apiKey: API_KEY, email: uniqueEmail() })), 400, 9001);
  expectError(await post(LOGIN_PATH, JSON.stringify({ apiKey: API_KEY, email: `${'x'.repeat(20000)}@a.b` })), 413);
});

test('logout answers 200 and revokes the token whatever body clients send: none, empty JSON, {}, { apiKey }, or text', async ({
  client,
}) => {
  const bodies: Array<[string, string | undefined, string | undefined]> = [
    ['none', undefined, undefined],
    ['empty JSON', 'application/json', undefined],
    ['{}', 'application/json', '{}'],
    ['{ apiKey }', 'application/json', JSON.stringify({ apiKey: API_KEY })],
    ['text', 'text/plain', 'whatever'],
  ];
  for (const [name, contentType, payload] of bodies) {
    await test.step(name, async () => {
      const token = await client.token();
      expectLogoutOk(await client.logout(token, { contentType, payload }));
      expectTokenRejected(await client.user(token));
      expectTokenRejected(await client.logout(token, { contentType, payload }));
    });
  }
});

test('unknown routes answer 404 in the error shape', async ({ client }) => {
  expectError(await client.inject({ method: 'GET', url: '/api/v2/nothing', headers: PARTNER_HEADERS }), 404, 9004);
  expectError(await client.inject({ method: 'POST', url: '/', headers: PARTNER_HEADERS }), 404);
});

test('a trailing slash is optional', async ({ client }) => {
  const headers = { ...PARTNER_HEADERS, authorization: await client.token() };
  expect((await client.inject({ method: 'GET', url: `/api/v2/user?apiKey=${API_KEY}`, headers })).statusCode).toBe(200);
  expectLogoutOk(await client.inject({ method: 'POST', url: `${LOGOUT_PATH}/`, headers }));
});

test('concurrent logouts of one token: no 5xx, at least one 200, rejected afterwards', async ({ client }) => {
  const token = await client.token();
  const answers = await Promise.all(Array.from({ length: 8 }, () => client.logout(token)));
  const statuses = answers.map((a) => a.statusCode);
  expect(statuses.filter((s) => s !== 200 && s !== 401)).toEqual([]);
  expect(statuses).toContain(200);
  expectTokenRejected(await client.user(token));
});

test('an unexpected failure is a bare 500 with no stack and no headers', async ({ newClient }) => {
  const failing = newClient({
    onOtpIssued: () => {
      throw new Error('smtp down at /srv/mail.js:12');
    },
  });
  const email = uniqueEmail();
  const res = await failing.login(email);
  expect(res.statusCode).toBe(500);
  expect(res.json()).toEqual({ error: { statusCode: 500, name: 'InternalServerError', message: 'Internal Server Error' } });
  expect(res.body).not.toContain(API_KEY);
  // The failed delivery did not start a cooldown.
  expect((await failing.login(email)).statusCode).toBe(500);
});
