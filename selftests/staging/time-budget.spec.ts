/**
 * A slow pool makes a slow run, never a red one: every wait the email pool announces grows the
 * test's time budget. Rule 8 needs 5 live tokens in one test; on a worker that owns 2 addresses
 * the logins must wait out the cooldown twice, far past a test timeout set below those waits.
 */
import { expect, test } from '@playwright/test';
import { startEmulator } from '../support/emulator-process';
import { runSuite } from '../support/suite-run';

const COOLDOWN_MS = 3000;
const TIMEOUT_MS = 4000;

test('rule 8 on a worker holding 2 addresses waits out the cooldown past the test timeout, and passes', async () => {
  test.setTimeout(90_000);
  const emulator = await startEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: String(COOLDOWN_MS) } });
  let run;
  try {
    const env = {
      TRANSAK_BASE_URL: emulator.url,
      TRANSAK_EMAILS: 'qa+1@example.com,qa+2@example.com',
      TRANSAK_OTP_COOLDOWN_MS: String(COOLDOWN_MS),
    };
    run = await runSuite({ env, args: ['--workers=1', `--timeout=${TIMEOUT_MS}`, '--grep', '@R8'] });
  } finally {
    await emulator.stop();
  }
  expect(run.failed.map((t) => `${t.title}: ${t.message}`)).toEqual([]);
  expect(run.tests.map((t) => t.status)).toEqual(['passed']);
  // The preflight's token is handed on; the other 4 logins share 2 addresses: at least 2 cooldowns of waiting.
  expect(run.output).toMatch(/\[email pool\] .* waiting \d+ s for it to free up/);
  expect(run.durationMs, 'the waits really exceeded the test timeout').toBeGreaterThan(TIMEOUT_MS + 2 * COOLDOWN_MS);
});
