// The policies a correct gateway may choose (emulator/policies.ts), each switched on as an option of
// the correct emulator, through Fastify inject. The allowed modes of the same names (emulator/faults.ts)
// adopt them at the kill matrix's scale; here each is held to what openapi/NOTES.md says of it.
import { decodeJwt } from 'jose';
import { expect, test } from '../fixtures';
import { DEFAULT_OTP } from '../../emulator/options';
import { API_KEY, expectError, expectLogoutOk, expectTokenRejected, uniqueEmail, type EmulatorClient } from '../support/emulator-client';

/** The token is dead everywhere, in the answer a logged-out token gets. */
async function expectDead(client: EmulatorClient, token: string): Promise<void> {
  expectTokenRejected(await client.user(token));
  expectTokenRejected(await client.refresh(token));
  expectTokenRejected(await client.logout(token));
}

test.describe('one session per user', () => {
  test("a second Verify User OTP revokes the user's older tokens, refreshed ones included, and no other user's", async ({ newClient }) => {
    const client = newClient({ oneSessionPerUser: true, otpCooldownMs: 0 });
    const email = uniqueEmail('alice');
    const first = await client.token(email);
    const refreshed = await client.refresh(first);
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const bob = await client.token();
    expect((await client.user(first)).statusCode, 'one login is one live session').toBe(200);

    const second = await client.token(email.toUpperCase()); // the same user, as mailboxes treat case
    await expectDead(client, first);
    await expectDead(client, refreshed.json().data.accessToken as string);
    expect((await client.user(second)).statusCode).toBe(200);
    expect((await client.user(bob)).statusCode).toBe(200);
  });

  test('off (the reference), a second login leaves the first token working', async ({ newClient }) => {
    const client = newClient({ otpCooldownMs: 0 });
    const email = uniqueEmail('alice');
    const first = await client.token(email);
    await client.token(email);
    expect((await client.user(first)).statusCode).toBe(200);
  });
});

test.describe('rate limit answered 429', () => {
  test('every Kth request of a caller is a JSON 429 with Retry-After; other callers keep their own count', async ({ newClient }) => {
    const client = newClient({ rateLimit: { every: 3, retryAfterSeconds: 2 } });
    const email = uniqueEmail();
    const login = await client.login(email); // 1
    const verify = await client.verify(email, login.json().data.stateToken); // 2
    expect([login.statusCode, verify.statusCode]).toEqual([200, 200]);
    const token = verify.json().data.accessToken as string;
    const otherCaller = await client.inject({ method: 'GET', url: '/api/v2/user/', headers: { 'x-api-key': 'another-key' } });
    expect(otherCaller.statusCode, 'a caller with its own key starts its own count').toBe(401);

    const third = await client.user(token); // 3
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBe('2');
    expect(third.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(third.json().error).toMatchObject({ statusCode: 429, message: expect.any(String) });
    expect((await client.user(token)).statusCode).toBe(200); // 4
    expect((await client.refresh(token)).statusCode).toBe(200); // 5
    expect((await client.logout(token)).statusCode).toBe(429); // 6
  });

  test('a 429 was not processed: no OTP sent, no cooldown spent, no OTP attempt counted, no state token used, nobody logged out', async ({
    newClient,
  }) => {
    const sent: string[] = [];
    // Every 2nd request is refused; the real one-a-minute cooldown and the lock after 4 wrong OTPs stay on.
    const client = newClient({ rateLimit: { every: 2, retryAfterSeconds: undefined }, onOtpIssued: (email) => void sent.push(email) });
    const [alice, bob] = [uniqueEmail('alice'), uniqueEmail('bob')];
    const login = await client.login(alice); // 1
    expect(login.statusCode).toBe(200);
    const refusedLogin = await client.login(bob); // 2
    expect(refusedLogin.statusCode).toBe(429);
    expect(refusedLogin.headers['retry-after'], 'this variant sends no Retry-After').toBeUndefined();
    expect(refusedLogin.json().error).toMatchObject({ statusCode: 429 });
    expect(sent, 'the refused Send User OTP sent no OTP').toEqual([alice]);
    expect((await client.login(bob)).statusCode, 'nor started the cooldown').toBe(200); // 3
    expect(sent).toEqual([alice, bob]);

    const stateToken = login.json().data.stateToken as string;
    expect((await client.verify(alice, stateToken, DEFAULT_OTP)).statusCode).toBe(429); // 4: the right OTP, refused
    for (let i = 0; i < 3; i++) {
      expectError(await client.verify(alice, stateToken, '000000'), 400, 1007); // 5, 7, 9: three wrong OTPs counted
      expect((await client.verify(alice, stateToken, '000000')).statusCode).toBe(429); // 6, 8, 10: not counted
    }
    // Seven wrong OTPs had locked the address at the fourth; the refused right one left the state token unused.
    const verify = await client.verify(alice, stateToken, DEFAULT_OTP); // 11
    expect(verify.statusCode, verify.body).toBe(200);
    const token = verify.json().data.accessToken as string;

    expect((await client.logout(token)).statusCode).toBe(429); // 12
    expect((await client.user(token)).statusCode, 'the refused logout logged nobody out').toBe(200); // 13
  });

  test('off (the reference), no request is ever refused 429', async ({ newClient }) => {
    const client = newClient();
    const token = await client.token();
    for (let i = 0; i < 20; i++) expect((await client.user(token)).statusCode).toBe(200);
  });
});

test('short token lifetime: ttl and exp say N seconds; at N the token is rejected like a logged-out one and cannot be refreshed', async ({
  newClient,
  clock,
}) => {
  const client = newClient({ tokenTtlSeconds: 45, clock: clock.read });
  const email = uniqueEmail();
  const login = await client.login(email);
  const verify = await client.verify(email, login.json().data.stateToken);
  expect(verify.json().data.ttl).toBe(45);
  const token = verify.json().data.accessToken as string;
  const { iat, exp } = decodeJwt(token);
  expect(iat).toBe(Math.floor(clock.now / 1000));
  expect(exp).toBe(iat! + 45);

  clock.advance(44_000);
  expect((await client.user(token)).statusCode).toBe(200);
  const refreshed = await client.refresh(token);
  const renewed = refreshed.json().data.accessToken as string;
  expect(decodeJwt(renewed).exp, 'a refreshed token lives N seconds from its own issue').toBe(decodeJwt(renewed).iat! + 45);

  clock.advance(1_000);
  await expectDead(client, token);
  expect((await client.user(renewed)).statusCode).toBe(200);
});

test.describe('refresh needs the apiKey query', () => {
  test('refused without ?apiKey= or with a wrong one (401, like a bad key), accepted with the partner key; a logged-out token stays refused', async ({
    newClient,
  }) => {
    const client = newClient({ refreshNeedsApiKeyQuery: true });
    const token = await client.token();
    expectError(await client.refresh(token), 401, 1001);
    expectError(await client.refresh(token, 'not-the-partner-key'), 401, 1001);
    const refreshed = await client.refresh(token, API_KEY);
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(typeof refreshed.json().data.accessToken).toBe('string');
    expect((await client.user(token)).statusCode, 'Get User Details, which always wanted the query, is unchanged').toBe(200);

    expectLogoutOk(await client.logout(token));
    expectTokenRejected(await client.refresh(token, API_KEY));
  });

  test('off (the reference), Refresh answers with or without the query', async ({ newClient }) => {
    const client = newClient();
    const token = await client.token();
    expect((await client.refresh(token)).statusCode).toBe(200);
    expect((await client.refresh(token, API_KEY)).statusCode).toBe(200);
    const noPartner = await client.inject({
      method: 'GET',
      url: `/api/v2/auth/refresh?apiKey=${API_KEY}`,
      headers: { authorization: token },
    });
    expect(noPartner.statusCode, 'the query does not replace the x-api-key header').toBe(401);
  });
});

test('the policies combine', async ({ newClient, clock }) => {
  const client = newClient({
    oneSessionPerUser: true,
    rateLimit: { every: 4, retryAfterSeconds: 1 },
    tokenTtlSeconds: 10,
    refreshNeedsApiKeyQuery: true,
    otpCooldownMs: 0,
    clock: clock.read,
  });
  const email = uniqueEmail();
  const first = await client.token(email); // 1, 2
  expect((await client.refresh(first, API_KEY)).statusCode).toBe(200); // 3
  expect((await client.user(first)).statusCode).toBe(429); // 4
  const second = await client.token(email); // 5, 6
  expectTokenRejected(await client.user(first)); // 7
  clock.advance(10_000);
  expect((await client.user(second)).statusCode).toBe(429); // 8
  expectTokenRejected(await client.user(second)); // 9: expired
});
