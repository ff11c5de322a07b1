/**
 * A slow pool makes a slow run, never a red one: every wait the email pool announces grows the test's
 * time budget. Rule 8's 5 logins on 2 addresses wait out the cooldown far past the test's timeout.
 */
import { expect, test } from '../fixtures';
import { served } from '../support/emulator-client';

const COOLDOWN_MS = 3000;
const TIMEOUT_MS = 4000;

test('rule 8 on a worker holding 2 addresses waits out the cooldown past the test timeout, and passes', async ({ newClient, runSuite }) => {
  const url = await served(newClient({ otpCooldownMs: COOLDOWN_MS }));
  const env = { TRANSAK_BASE_URL: url, TRANSAK_EMAILS: 'qa+1@example.com,qa+2@example.com', TRANSAK_OTP_COOLDOWN_MS: String(COOLDOWN_MS) };
  const run = await runSuite({ env, args: ['--workers=1', `--timeout=${TIMEOUT_MS}`, '--grep', '@R8'] });
  expect(run.failed.map((t) => `${t.title}: ${t.message}`)).toEqual([]);
  expect(run.tests.map((t) => t.status)).toEqual(['passed']);
  // The preflight's token is handed on; the other 4 logins share 2 addresses, so they wait out the
  // cooldown, together far longer than the test's timeout.
  const waitedS = [...run.output.matchAll(/\[email pool\] .* waiting (\d+) s for it to free up/g)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
  expect(waitedS * 1000, 'the waits really exceeded the test timeout').toBeGreaterThan(TIMEOUT_MS);
});
