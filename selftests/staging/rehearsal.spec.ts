/**
 * `npm run rehearse` scaled down: the same staging night (staging profile, IMAP mailbox, two shards
 * of the nightly config at once, the recommended pool) with an OTP cooldown of a few seconds, from
 * which every time budget is derived. It must meet the same schedule: green, every test counted
 * once in the merged reports, and not one OTP asked too soon. Its wall time is a figure, not a
 * verdict: `npm run rehearse` prints it beside its goal (docs/rehearsal.md), since a shared CI
 * machine's load would make any bound on seconds flaky.
 */
import { expect, test } from '@playwright/test';
import { describeFigures, rehearse } from '../../scripts/rehearse';

const COOLDOWN_MS = 4000;

test('a staging night in miniature: green, counted once, no OTP asked too soon, the OTP rate sets the pace', async () => {
  test.setTimeout(240_000);
  const figures = await rehearse({ cooldownMs: COOLDOWN_MS, shards: 2, workers: 4 });
  test.info().annotations.push(...describeFigures(figures).map((description) => ({ type: 'rehearsal', description })));
  expect(figures.green, figures.output.slice(-3000)).toBe(true);
  expect(figures.counted, 'each merged report counts every test once').toEqual({
    json: figures.listed,
    junit: figures.listed,
    allure: figures.listed,
  });
  expect(figures.tooSoon, 'no OTP was asked inside its cooldown').toBe(0);
  expect(figures.logins, 'a login per destroyed token and a preflight per shard, not more than one per test').toBeLessThanOrEqual(
    figures.listed,
  );
});
