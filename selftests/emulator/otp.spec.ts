import { expect, test } from '../fixtures';
import { expectError, uniqueEmail } from '../support/emulator-client';

const LOCK_MESSAGE = 'Account locked after too many invalid OTP attempts; try again in 24 hours';

test('a second OTP within the cooldown is refused with 1019, and allowed after it', async ({ newClient, clock }) => {
  const client = newClient({ clock: clock.read });
  const email = uniqueEmail();
  expect((await client.login(email)).statusCode).toBe(200);
  const again = await client.login(email.toUpperCase());
  expectError(again, 400, 1019);
  expect(again.json().error.message).toBe('You can request a new OTP after 1 minute.');
  expect((await client.login(uniqueEmail())).statusCode).toBe(200); // per email, not global
  clock.advance(59_999);
  expectError(await client.login(email), 400, 1019);
  clock.advance(1);
  expect((await client.login(email)).statusCode).toBe(200);
});

test('a wrong OTP is 400/1007; four in a row lock the account for 24 h', async ({ newClient, clock }) => {
  const client = newClient({ clock: clock.read });
  const email = uniqueEmail();
  const { stateToken } = (await client.login(email)).json().data;
  for (let attempt = 1; attempt <= 4; attempt++) {
    const res = await client.verify(email, stateToken, '000000');
    expectError(res, 400, 1007);
    expect(res.json().error.message).toBe('Invalid OTP');
  }
  const locked = await client.verify(email, stateToken); // even the right OTP
  expectError(locked, 403, 1020);
  expect(locked.json().error.message).toBe(LOCK_MESSAGE);
  clock.advance(60_000);
  expectError(await client.login(email), 403, 1020);

  clock.advance(24 * 3600 * 1000);
  const fresh = await client.login(email);
  expect(fresh.statusCode).toBe(200);
  expect((await client.verify(email, fresh.json().data.stateToken)).statusCode).toBe(200);
});

test('a success resets the wrong-OTP count', async ({ newClient }) => {
  const client = newClient({ otpCooldownMs: 0 });
  const email = uniqueEmail();
  for (const login of ['first', 'second']) {
    const { stateToken } = (await client.login(email)).json().data;
    for (let i = 0; i < 3; i++) expectError(await client.verify(email, stateToken, '999999'), 400, 1007);
    expect((await client.verify(email, stateToken)).statusCode, `${login} login: three wrong, then right`).toBe(200);
  }
});

test('a state token is single-use, bound to its email, and expires after 600 s', async ({ newClient, clock }) => {
  const client = newClient({ clock: clock.read });
  const email = uniqueEmail();
  const { stateToken } = (await client.login(email)).json().data;
  expectError(await client.verify(uniqueEmail(), stateToken), 400, 1008);
  expect((await client.verify(email, stateToken)).statusCode).toBe(200);
  const reused = await client.verify(email, stateToken);
  expectError(reused, 400, 1008);
  expect(reused.json().error.message).toBe('Invalid or expired state token');
  expectError(await client.verify(email, 'made-up-state-token'), 400, 1008);

  const other = uniqueEmail();
  const late = (await client.login(other)).json().data.stateToken;
  clock.advance(600_000);
  expectError(await client.verify(other, late), 400, 1008);
});

test('EMULATOR_OTP=random issues a fresh 6-digit OTP per login, handed to onOtpIssued', async ({ newClient }) => {
  const delivered: Array<[string, string]> = [];
  const client = newClient({
    otp: 'random',
    otpCooldownMs: 0,
    onOtpIssued: (email, otp) => void delivered.push([email, otp]),
  });
  const email = uniqueEmail();
  const first = (await client.login(email)).json().data.stateToken;
  const second = (await client.login(email)).json().data.stateToken;
  expect(delivered).toHaveLength(2);
  for (const [to, otp] of delivered) {
    expect(to).toBe(email);
    expect(otp).toMatch(/^\d{6}$/);
  }
  expectError(await client.verify(email, first, delivered[1][1] === delivered[0][1] ? 'x' : delivered[1][1]), 400, 1007);
  expect((await client.verify(email, second, delivered[1][1])).statusCode).toBe(200);
  expect((await client.verify(email, first, delivered[0][1])).statusCode).toBe(200);
});
