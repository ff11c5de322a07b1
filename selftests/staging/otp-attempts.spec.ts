/**
 * OTP attempts are precious: four wrong OTPs lock an address for 24 h. On the nightly configuration
 * (one retry), an OTP source that hands out wrong codes costs at most one verify attempt per
 * address: a refused OTP stops every later login with that address, through test retries too, and
 * a retry never runs the preflight again.
 *
 * The OTP command logs every address it is asked for, so the attempts are counted where they
 * start; the emulator's stats file (EMULATOR_STATS_FILE) counts, per address, the refusals it answered.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestInfo } from '@playwright/test';
import { expect, PREFLIGHT_LEAD, test } from '../fixtures';
import type { EmulatorOptions } from '../../emulator/options';
import type { OtpStats } from '../../emulator/stats';
import { EMULATOR_DEFAULT_OTP } from '../../helpers/embedded-emulator';
import { served, type EmulatorClient } from '../support/emulator-client';

const COOLDOWN_MS = '1000';
const NIGHTLY = ['--config=playwright.nightly.config.ts', '--workers=2'];
const EMAILS = ['qa+1@example.com', 'qa+2@example.com', 'qa+3@example.com', 'qa+4@example.com'];

/** A command that logs the address it is asked for, and prints the right code only `rightTimes` times. */
function otpCommand(dir: string, rightTimes: number): string {
  const asked = join(dir, 'asked');
  return `echo "$TRANSAK_OTP_EMAIL" >> ${asked}; if [ "$(wc -l < ${asked})" -le ${rightTimes} ]; then echo ${EMULATOR_DEFAULT_OTP}; else echo 000000; fi`;
}

function askedFor(dir: string): string[] {
  const asked = join(dir, 'asked');
  return existsSync(asked) ? readFileSync(asked, 'utf8').trim().split('\n').filter(Boolean) : [];
}

/** The emulator's own count, per address, of Verify User OTP calls it refused, whatever the reason (1007 a wrong OTP, …). */
function wrongOtpsPerAddress(statsFile: string): Record<string, number> {
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as OtpStats;
  const refused = (codes: Record<string, number>): number => Object.values(codes).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(stats['verify-user-otp']).map(([address, s]) => [address, refused(s.errorCodes)]));
}

/** An emulator counting OTP calls per address, and the suite's environment with an OTP command right `rightTimes` times. */
async function nightWithOtpCommand(newClient: (options?: EmulatorOptions) => EmulatorClient, testInfo: TestInfo, rightTimes: number) {
  const dir = testInfo.outputPath();
  mkdirSync(dir, { recursive: true });
  const statsFile = join(dir, 'otp-stats.json');
  const url = await served(newClient({ otpCooldownMs: Number(COOLDOWN_MS), statsFile }));
  const env = {
    TRANSAK_BASE_URL: url,
    TRANSAK_EMAILS: EMAILS.join(','),
    TRANSAK_OTP_COMMAND: otpCommand(dir, rightTimes),
    TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS,
  };
  return { dir, statsFile, env };
}

test.describe('staging readiness: OTP attempts are precious', () => {
  test('an OTP command that prints a wrong code stops the night at the preflight: one verify attempt in all, never retried', async ({
    newClient,
    runSuite,
  }, testInfo) => {
    const { dir, statsFile, env } = await nightWithOtpCommand(newClient, testInfo, 0);
    const run = await runSuite({ env, args: NIGHTLY });
    expect(run.exitCode).not.toBe(0);
    expect(run.globalErrors).toEqual([expect.stringMatching(new RegExp(`^${PREFLIGHT_LEAD}OtpRefusedError: .*fix TRANSAK_OTP_COMMAND`))]);
    expect(run.tests.filter((t) => t.status !== 'skipped')).toEqual([]);
    expect(askedFor(dir), 'one OTP asked for, by the preflight').toHaveLength(1);
    expect(Object.values(wrongOtpsPerAddress(statsFile)), "the emulator's count: one wrong OTP in all").toEqual([1]);
  });

  test('an OTP command that turns wrong mid-night costs at most one verify attempt per address, through retries', async ({
    newClient,
    runSuite,
  }, testInfo) => {
    // Right for the preflight only: every later login meets a wrong code. Rules 8 and 2 only: each
    // of their four tests needs a login of its own, and so does each retry (in a new worker).
    const { dir, statsFile, env } = await nightWithOtpCommand(newClient, testInfo, 1);
    const run = await runSuite({ env, args: [...NIGHTLY, '--grep', '@R8|@R2'] });
    expect(run.exitCode, 'the night is red').not.toBe(0);
    expect(run.globalErrors, 'the preflight passed').toEqual([]);
    for (const line of new Set(run.failed.map((t) => t.message.replace(/qa\+\d@example\.com/g, 'qa+N@example.com')))) {
      expect(line).toMatch(
        /^OtpRefusedError: Verify User OTP failed: .*fix TRANSAK_OTP_COMMAND \(qa\+N@example\.com is not tried again in this run|^LoginsStoppedError: not run: no more logins with qa\+N@example\.com/,
      );
    }
    const perAddress = wrongOtpsPerAddress(statsFile);
    testInfo.annotations.push({ type: 'wrong OTPs per address', description: JSON.stringify(perAddress) });
    expect(
      Object.values(perAddress).reduce((a, b) => a + b, 0),
      'the night did meet wrong codes',
    ).toBeGreaterThan(0);
    expect(
      Math.max(...Object.values(perAddress)),
      `the emulator's count of wrong OTPs per address: ${JSON.stringify(perAddress)}`,
    ).toBeLessThanOrEqual(1);
    // A code handed out may go unverified (its test ended first); a verify never goes without one.
    expect(askedFor(dir).length - 1, 'no refused verify without a wrong code handed out for it').toBeGreaterThanOrEqual(
      Object.values(perAddress).reduce((a, b) => a + b, 0),
    );
  });
});
