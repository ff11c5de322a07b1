/**
 * `npm run rehearse` scaled down: the same staging night (staging profile, IMAP mailbox, two nightly
 * shards at once) with an OTP cooldown of a few seconds, from which every time budget is derived,
 * against a gateway with every policy the reference leaves open, and the nightly's smallest pool (12
 * addresses for 8 processes). It must stay green, count every test once, skip none and ask no OTP too
 * soon. Its wall time is a figure, not a pass mark (docs/rehearsal.md): a shared machine's load would
 * make any bound on seconds flaky.
 */
import { expect, test, UNTIMED_LOGOUT_SLO } from '../fixtures';
import { describeFigures, rehearse } from '../../scripts/rehearse';
import { ALL_POLICIES } from '../../scripts/rehearsal-policies';

const COOLDOWN_MS = 4000;

test('a staging night in miniature, every gateway policy on, 12 addresses for 8 processes: green, every rule judged, counted once, no OTP asked too soon', async () => {
  test.setTimeout(300_000);
  // The claims are the counts: the merged reports and the shards' Allure results, not the Allure report built from them
  // (reports/nightly-shards.spec.ts builds that from a night's shards).
  const figures = await rehearse({
    cooldownMs: COOLDOWN_MS,
    addresses: 12,
    policies: ALL_POLICIES,
    allureReport: false,
    env: UNTIMED_LOGOUT_SLO,
  });
  test.info().annotations.push(...describeFigures(figures).map((description) => ({ type: 'rehearsal', description })));
  expect(figures.green, figures.output.slice(-3000)).toBe(true);
  expect(figures.counted, 'each merged report counts every test once').toEqual({
    json: figures.listed,
    junit: figures.listed,
    allure: figures.listed,
  });
  expect(figures.skipped, 'no test skipped: every rule judged').toBe(0);
  expect(figures.tooSoon, 'no OTP was asked inside its cooldown').toBe(0);
  // How few logins a night needs is the bench's figure (docs/benchmarks.md): with one session per user a
  // token is handed on only within its owner's process, so the count varies with scheduling. This only
  // catches a login loop.
  expect(figures.logins, 'no login loop: under two logins per test').toBeLessThan(2 * figures.listed);
});
