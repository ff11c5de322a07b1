// The timing and concurrency of the modes that have them: the catalogue test and kill matrix show what
// every mode answers, but not when it acts (a delay, a revocation late or wearing off) or what overlapping requests meet.
import { expect, test } from '../fixtures';
import { REVOCATION_DELAY_MS, REVOCATION_WEARS_OFF_MS, SLOW_LOGOUT_MS, findMode, type ModeName } from '../../emulator/faults';
import { EmulatorClient, ManualClock, expectLogoutOk, expectTokenRejected } from '../support/emulator-client';

/** A test of one mode, titled from its catalogue entry, with an in-process emulator in that mode on a manual clock. */
function modeTest(name: ModeName, body: (emulator: { client: EmulatorClient; clock: ManualClock }) => Promise<void>): void {
  const mode = findMode(name)!;

  // eslint-disable-next-line playwright/expect-expect -- the assertions are in `body`, one per mode below
  test(`${mode.kind} ${name}: ${mode.summary}`, async ({ newClient, clock }) => {
    await body({ client: newClient({ faults: [name], clock: clock.read, otpCooldownMs: 0 }), clock });
  });
}

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

modeTest('slow-logout', async ({ client }) => {
  const token = await client.token();
  const started = Date.now();
  expectLogoutOk(await client.logout(token));
  expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_LOGOUT_MS - 50);
  expectTokenRejected(await client.logout(token));
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

modeTest('concurrent-logouts-all-refused', async ({ client }) => {
  const token = await client.token();
  const answers = await Promise.all([1, 2, 3].map(() => client.logout(token)));
  expect(answers.map((r) => r.statusCode)).toEqual([409, 409, 409]);
  expect(answers[0].json().error).toMatchObject({ statusCode: 409, errorCode: 9005 });
  expectTokenRejected(await client.user(token)); // revoked all the same
  const other = await client.token();
  expectLogoutOk(await client.logout(other)); // alone, a logout succeeds
});
