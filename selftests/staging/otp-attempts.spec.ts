/**
 * OTP attempts are precious: four wrong OTPs lock an address for 24 h. On the nightly configuration
 * (one retry), an OTP source that hands out wrong codes costs at most one verify attempt per
 * address: a refused OTP stops every later login with that address, through test retries too, and
 * a retry never runs the preflight again.
 *
 * The OTP command logs every address it is asked for, so the attempts per address are counted
 * where they start; the emulator's own log counts the refusals it answered.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { EMULATOR_DEFAULT_OTP } from '../../helpers/embedded-emulator';
import { startEmulator } from '../support/emulator-process';
import { PREFLIGHT_LEAD, runSuite } from '../support/suite-run';
import { loggedRequests } from './support';

const COOLDOWN_MS = '1000';
const NIGHTLY = ['--config=playwright.nightly.config.ts', '--workers=2'];
const EMAILS = ['qa+1@example.com', 'qa+2@example.com', 'qa+3@example.com', 'qa+4@example.com'];

/** A command that logs the address it is asked for, and prints the right code only `rightTimes` times. */
function otpCommand(dir: string, rightTimes: number): string {
  const asked = join(dir, 'asked');
  return `echo "$TRANSAK_OTP_EMAIL" >> ${asked}; if [ "$(wc -l < ${asked})" -le ${rightTimes} ]; then echo ${EMULATOR_DEFAULT_OTP}; else echo 000000; fi`;
}

function askedFor(dir: string): string[] {
  try {
    return readFileSync(join(dir, 'asked'), 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

test.describe('staging readiness: OTP attempts are precious', () => {
  test.describe.configure({ timeout: 120_000 });

  test('an OTP command that prints a wrong code stops the night at the preflight: one verify attempt in all, never retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-attempts-'));
    const emulator = await startEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS, EMULATOR_LOG: '1' } });
    let asked: string[];
    try {
      const env = {
        TRANSAK_BASE_URL: emulator.url,
        TRANSAK_EMAILS: EMAILS.join(','),
        TRANSAK_OTP_COMMAND: otpCommand(dir, 0),
        TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS,
      };
      const run = await runSuite({ env, args: NIGHTLY });
      expect(run.exitCode).not.toBe(0);
      expect(run.globalErrors).toEqual([expect.stringMatching(new RegExp(`^${PREFLIGHT_LEAD}OtpRefusedError: .*fix TRANSAK_OTP_COMMAND`))]);
      expect(run.tests.filter((t) => t.status !== 'skipped')).toEqual([]);
    } finally {
      await emulator.stop();
      asked = askedFor(dir);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(asked, 'one OTP asked for, by the preflight').toHaveLength(1);
    expect(
      loggedRequests(emulator.output())
        .filter((r) => r.path === '/api/v2/auth/verify')
        .map((r) => r.status),
    ).toEqual([400]);
  });

  test('an OTP command that turns wrong mid-night costs at most one verify attempt per address, through retries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-attempts-'));
    const emulator = await startEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS, EMULATOR_LOG: '1' } });
    let asked: string[];
    try {
      // Right for the preflight only: every later login meets a wrong code.
      const env = {
        TRANSAK_BASE_URL: emulator.url,
        TRANSAK_EMAILS: EMAILS.join(','),
        TRANSAK_OTP_COMMAND: otpCommand(dir, 1),
        TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS,
      };
      const run = await runSuite({ env, args: NIGHTLY });
      expect(run.exitCode, 'the night is red').not.toBe(0);
      expect(run.globalErrors, 'the preflight passed').toEqual([]);
      const lines = new Set(run.failed.map((t) => t.message.replace(/qa\+\d@example\.com/g, 'qa+N@example.com')));
      for (const line of lines)
        expect(line).toMatch(
          /^OtpRefusedError: Verify User OTP failed: .*fix TRANSAK_OTP_COMMAND \(qa\+N@example\.com is not tried again in this run|^LoginsStoppedError: not run: no more logins with qa\+N@example\.com/,
        );
    } finally {
      await emulator.stop();
      asked = askedFor(dir);
      rmSync(dir, { recursive: true, force: true });
    }
    const wrong = asked.slice(1);
    const perAddress = Object.fromEntries(EMAILS.map((email) => [email, wrong.filter((a) => a === email).length]));
    test.info().annotations.push({ type: 'wrong codes per address', description: JSON.stringify(perAddress) });
    expect(Math.max(...Object.values(perAddress)), `wrong OTPs per address: ${JSON.stringify(perAddress)}`).toBeLessThanOrEqual(1);
    expect(wrong.length, 'the night did meet wrong codes').toBeGreaterThan(0);
    const refused = loggedRequests(emulator.output()).filter((r) => r.path === '/api/v2/auth/verify' && r.status === 400);
    expect(refused, "the emulator's count of refused verify calls").toHaveLength(wrong.length);
  });
});
