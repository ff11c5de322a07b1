// Each fault mode does what its catalogue entry says: bug modes break exactly the rule they
// name, allowed modes stay within the contract. One describe per rule.
import { expect, test } from '@playwright/test';
import type { EmulatorOptions } from '../../emulator/options';
import {
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
} from './support';

const clients: EmulatorClient[] = [];
function emulator(faults: string[], options: EmulatorOptions = {}): EmulatorClient {
  const client = new EmulatorClient({ ...options, faults });
  clients.push(client);
  return client;
}
test.afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

test.describe('R1: the answer to a successful logout', () => {
  test('logout-204-no-body', async () => {
    const client = emulator(['logout-204-no-body']);
    const res = await client.logout(await client.token());
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });

  test('logout-201', async () => {
    const client = emulator(['logout-201']);
    const res = await client.logout(await client.token());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ data: { message: 'User logged out successfully' } });
  });

  test('logout-200-without-data', async () => {
    const client = emulator(['logout-200-without-data']);
    const res = await client.logout(await client.token());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ message: 'User logged out successfully' });
  });

  test('logout-message-not-string', async () => {
    const client = emulator(['logout-message-not-string']);
    const res = await client.logout(await client.token());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: { message: 123 } });
  });

  test('logout-text-plain', async () => {
    const client = emulator(['logout-text-plain']);
    const token = await client.token();
    const res = await client.logout(token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(JSON.parse(res.body)).toEqual({ data: { message: 'User logged out successfully' } });
    expectTokenRejected(await client.user(token)); // the logout itself still works
  });
});

test.describe('R2: the token is dead afterwards, rejected in the documented shape', () => {
  test('logout-does-not-revoke', async () => {
    const client = emulator(['logout-does-not-revoke']);
    const token = await client.token();
    expectLogoutOk(await client.logout(token));
    expect((await client.user(token)).statusCode).toBe(200);
    expect((await client.refresh(token)).statusCode).toBe(200);
  });

  test('user-details-ignores-revocation', async () => {
    const client = emulator(['user-details-ignores-revocation']);
    const token = await client.token();
    expectLogoutOk(await client.logout(token));
    expect((await client.user(token)).statusCode).toBe(200);
    expectTokenRejected(await client.refresh(token));
  });

  test('refresh-ignores-revocation', async () => {
    const client = emulator(['refresh-ignores-revocation']);
    const token = await client.token();
    expectLogoutOk(await client.logout(token));
    const refresh = await client.refresh(token);
    expect(refresh.statusCode).toBe(200);
    expect(typeof refresh.json().data.accessToken).toBe('string');
    expectTokenRejected(await client.user(token));
  });

  test('logout-replay-accepted', async () => {
    const client = emulator(['logout-replay-accepted']);
    const token = await client.token();
    expectLogoutOk(await client.logout(token));
    expectLogoutOk(await client.logout(token));
    expectTokenRejected(await client.user(token));
  });

  test('revocation-delayed', async () => {
    const clock = new ManualClock();
    const client = emulator(['revocation-delayed'], { clock: clock.read });
    const token = await client.token();
    expectLogoutOk(await client.logout(token));
    expect((await client.user(token)).statusCode).toBe(200);
    clock.advance(1500);
    expectTokenRejected(await client.user(token));
  });

  test('revocation-wears-off', async () => {
    const clock = new ManualClock();
    const client = emulator(['revocation-wears-off'], { clock: clock.read });
    const token = await client.token();
    expectLogoutOk(await client.logout(token));
    expectTokenRejected(await client.user(token));
    clock.advance(2000);
    expect((await client.user(token)).statusCode).toBe(200);
  });

  test('rejection-without-error-wrapper', async () => {
    const client = emulator(['rejection-without-error-wrapper']);
    const res = await client.logout('not-a-token');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ statusCode: 401, message: 'Token missing, invalid or expired' });
  });

  test('rejection-status-mismatch', async () => {
    const client = emulator(['rejection-status-mismatch']);
    const res = await client.user(undefined);
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ statusCode: 400, name: 'UnauthorizedError', errorCode: 1002 });
  });

  test('rejection-as-200 (revoked tokens only)', async () => {
    const client = emulator(['rejection-as-200']);
    const token = await client.token();
    expectLogoutOk(await client.logout(token));
    for (const res of [await client.user(token), await client.refresh(token), await client.logout(token)]) {
      expect(res.statusCode).toBe(200);
      expect(res.json().error).toMatchObject({ statusCode: 401, errorCode: 1002 });
    }
    expectTokenRejected(await client.user('not-a-token'));
  });

  test('logout-400-without-name', async () => {
    const client = emulator(['logout-400-without-name']);
    const res = await client.logout('not-a-token');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { statusCode: 400, message: 'Token missing, invalid or expired', errorCode: 1002 } });
    expectTokenRejected(await client.user('not-a-token'));
  });

  test('rejection-not-json', async () => {
    const client = emulator(['rejection-not-json']);
    const res = await client.user('not-a-token');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('Unauthorized');
  });
});

test.describe('R3: no way around the token', () => {
  test('missing-header-accepted (logout only, revokes nothing)', async () => {
    const client = emulator(['missing-header-accepted']);
    expectLogoutOk(await client.logout(undefined));
    expectTokenRejected(await client.logout(''));
    expectTokenRejected(await client.user(undefined));
  });

  test('empty-header-accepted', async () => {
    const client = emulator(['empty-header-accepted']);
    expectLogoutOk(await client.logout(''));
    expectTokenRejected(await client.logout(undefined));
  });

  test('random-token-accepted', async () => {
    const client = emulator(['random-token-accepted']);
    expectLogoutOk(await client.logout('not-a-token'));
    expectTokenRejected(await client.logout(tampered(await client.token())));
  });

  test('signature-not-checked', async () => {
    const client = emulator(['signature-not-checked']);
    const live = await client.token();
    expect((await client.user(tampered(live))).statusCode).toBe(200);
    expect((await client.refresh(await signedWithOtherKey(live))).statusCode).toBe(200);
    expectLogoutOk(await client.logout(await signedWithOtherKey(live)));
    expectTokenRejected(await client.user(live)); // the forged logout killed the real session
    expectTokenRejected(await client.user('not-a-token'));
  });

  test('alg-none-accepted', async () => {
    const client = emulator(['alg-none-accepted']);
    const live = await client.token();
    expect((await client.user(unsigned(live))).statusCode).toBe(200);
    expectTokenRejected(await client.user(tampered(live)));
    expectLogoutOk(await client.logout(unsigned(live)));
  });

  test('missing-header-500 leaks a stack', async () => {
    const client = emulator(['missing-header-500']);
    const res = await client.logout(undefined);
    expect(res.statusCode).toBe(500);
    expect(res.json().error.stack).toContain('TypeError');
    expectTokenRejected(await client.logout(''));
  });

  test('bearer-prefix-500 leaks a stack', async () => {
    const client = emulator(['bearer-prefix-500']);
    const token = await client.token();
    const res = await client.logout(`Bearer ${token}`);
    expect(res.statusCode).toBe(500);
    expect(res.json().error.stack).toMatch(/\n\s+at /);
    expectLogoutOk(await client.logout(token));
  });
});

test.describe('R4: no 5xx, no echoed token', () => {
  test('token-echoed-in-body', async () => {
    const client = emulator(['token-echoed-in-body']);
    const token = await client.token();
    const res = await client.logout(token);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({ message: 'User logged out successfully', token });
  });

  test('token-echoed-in-header', async () => {
    const client = emulator(['token-echoed-in-header']);
    const token = await client.token();
    await client.logout(token);
    const res = await client.user(token);
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-rejected-token']).toBe(token);
  });

  test('token-echoed-in-error-message', async () => {
    const client = emulator(['token-echoed-in-error-message']);
    const res = await client.logout('not-a-token');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain('not-a-token');
  });

  test('user-details-500-after-logout', async () => {
    const client = emulator(['user-details-500-after-logout']);
    const token = await client.token();
    expectLogoutOk(await client.logout(token));
    const res = await client.user(token);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { statusCode: 500, name: 'InternalServerError', message: 'Internal Server Error' } });
    expectTokenRejected(await client.refresh(token));
  });

  test('refresh-500-after-logout', async () => {
    const client = emulator(['refresh-500-after-logout']);
    const token = await client.token();
    expectLogoutOk(await client.logout(token));
    expect((await client.refresh(token)).statusCode).toBe(500);
    expectTokenRejected(await client.user(token));
  });

  test('logout-replay-500', async () => {
    const client = emulator(['logout-replay-500']);
    const token = await client.token();
    expectLogoutOk(await client.logout(token));
    expect((await client.logout(token)).statusCode).toBe(500);
  });
});

test.describe('R5: other methods on the logout path', () => {
  test('get-logs-out', async () => {
    const client = emulator(['get-logs-out']);
    const token = await client.token();
    const res = await client.logout(token, 'GET');
    expectError(res, 405, 9002);
    expectTokenRejected(await client.user(token));
  });

  test('other-methods-accepted', async () => {
    const client = emulator(['other-methods-accepted']);
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const token = await client.token();
      expectLogoutOk(await client.logout(token, method));
      expectTokenRejected(await client.user(token));
    }
    expect((await client.logout(await client.token(), 'GET')).statusCode).toBe(405);
  });
});

test.describe('R6: one user logging out', () => {
  test('logout-revokes-all-users', async () => {
    const client = emulator(['logout-revokes-all-users']);
    const alice = await client.token();
    const bob = await client.token();
    expectLogoutOk(await client.logout(alice));
    expectTokenRejected(await client.user(bob));
    expect((await client.user(await client.token())).statusCode).toBe(200); // issued after the logout
  });
});

test.describe('R7: concurrent logouts', () => {
  test('concurrent-logout-500', async () => {
    const client = emulator(['concurrent-logout-500']);
    const token = await client.token();
    const statuses = (await Promise.all([1, 2, 3].map(() => client.logout(token)))).map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 500, 500]);
    expectTokenRejected(await client.user(token));
    // One at a time it behaves.
    const other = await client.token();
    expectLogoutOk(await client.logout(other));
    expectTokenRejected(await client.logout(other));
  });
});

test.describe('R8: latency', () => {
  test('slow-logout delays successful logouts only', async () => {
    const client = emulator(['slow-logout']);
    const token = await client.token();
    let started = Date.now();
    expectLogoutOk(await client.logout(token));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1650);
    started = Date.now();
    expectTokenRejected(await client.logout(token));
    expect(Date.now() - started).toBeLessThan(500);
  });
});

test.describe('allowed: correct-but-different behaviour', () => {
  test('reject-as-400', async () => {
    const client = emulator(['reject-as-400']);
    const token = await client.token();
    expectLogoutOk(await client.logout(token));
    const res = await client.logout(token);
    expectError(res, 400, 1002);
    expect(res.json().error.name).toBe('BadRequestError');
  });

  test('reject-as-403', async () => {
    const client = emulator(['reject-as-403']);
    expectError(await client.user(undefined), 403, 1002);
  });

  test('error-codes-shape', async () => {
    const client = emulator(['error-codes-shape']);
    const rejected = await client.logout('not-a-token');
    expect(rejected.statusCode).toBe(401);
    expect(rejected.json()).toEqual({ error: { statusCode: 401, message: 'Token missing, invalid or expired', errorCode: 1002 } });
    const invalid = await client.inject({ method: 'POST', url: '/api/v2/auth/login', headers: PARTNER_HEADERS, payload: {} });
    expectError(invalid, 400, 9001); // keeps name where logout documents it
  });

  test('bad-signature-403', async () => {
    const client = emulator(['bad-signature-403']);
    const live = await client.token();
    expectError(await client.logout(tampered(live)), 403, 1002);
    expectError(await client.logout(await signedWithOtherKey(live)), 403, 1002);
    expectTokenRejected(await client.logout('not-a-token'));
    expectTokenRejected(await client.logout(unsigned(live)));
  });

  test('extra-fields-and-charset', async () => {
    const client = emulator(['extra-fields-and-charset']);
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

  test('bearer-tolerated', async () => {
    const client = emulator(['bearer-tolerated']);
    const token = await client.token();
    expect((await client.user(`Bearer ${token}`)).statusCode).toBe(200);
    expectLogoutOk(await client.logout(`Bearer ${token}`));
    expectTokenRejected(await client.user(token));
  });

  test('same-user-sessions-revoked', async () => {
    const client = emulator(['same-user-sessions-revoked'], { otpCooldownMs: 0 });
    const email = uniqueEmail('alice');
    const first = await client.token(email);
    const second = await client.token(email);
    const bob = await client.token();
    expectLogoutOk(await client.logout(first));
    expectTokenRejected(await client.user(second));
    expect((await client.user(bob)).statusCode).toBe(200);
  });
});
