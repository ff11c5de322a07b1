/**
 * OTP attempts are precious (four wrong OTPs lock an address for 24 h): on the nightly configuration,
 * an OTP source that hands out wrong codes costs at most one verify attempt per address, through test
 * retries too, and a retry never runs the preflight again. Counted where the attempts start (the OTP
 * command logs each address) and where they end (the emulator's EMULATOR_STATS_FILE).
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect, expectStoppedAtPreflight, test as base } from '../fixtures';
import { EMULATOR_DEFAULT_OTP } from '../../helpers/embedded-emulator';
import { served } from '../support/emulator-client';
import { readOtpStats, refusals, sum } from './support';

const COOLDOWN_MS = '1000';
const NIGHTLY = ['--config=playwright.nightly.config.ts', '--workers=2'];
const EMAILS = ['qa+1@example.com', 'qa+2@example.com', 'qa+3@example.com', 'qa+4@example.com'];

const test = base.extend<{
  /** An emulator counting OTP calls per address, and the suite's environment with an OTP command right `rightTimes` times. */
  night: (rightTimes: number) => Promise<{
    env: Record<string, string>;
    /** How many codes the OTP command handed out. */
    asked: () => number;
    /** The emulator's own count, per address, of Verify User OTP calls it refused, whatever the reason (1007 a wrong OTP, …). */
    wrongOtps: () => Record<string, number>;
  }>;
}>({
  night: async ({ newClient }, use, testInfo) => {
    const [asked, statsFile] = [testInfo.outputPath('asked'), testInfo.outputPath('otp-stats.json')];
    await use(async (rightTimes) => ({
      env: {
        TRANSAK_BASE_URL: await served(newClient({ otpCooldownMs: Number(COOLDOWN_MS), statsFile })),
        TRANSAK_EMAILS: EMAILS.join(','),
        TRANSAK_OTP_COMMAND: `echo "$TRANSAK_OTP_EMAIL" >> ${asked}; if [ "$(wc -l < ${asked})" -le ${rightTimes} ]; then echo ${EMULATOR_DEFAULT_OTP}; else echo 000000; fi`,
        TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS,
      },
      asked: () => (existsSync(asked) ? readFileSync(asked, 'utf8').trim().split('\n').filter(Boolean).length : 0),
      wrongOtps: () => Object.fromEntries(Object.entries(readOtpStats(statsFile)['verify-user-otp']).map(([a, s]) => [a, refusals(s)])),
    }));
  },
});

test.describe('staging readiness: OTP attempts are precious', () => {
  test('an OTP command that prints a wrong code stops the night at the preflight: one verify attempt in all, never retried', async ({
    night,
    runSuite,
  }) => {
    const { env, asked, wrongOtps } = await night(0);
    expectStoppedAtPreflight(await runSuite({ env, args: NIGHTLY }), /^OtpRefusedError: .*fix TRANSAK_OTP_COMMAND/);
    expect(asked(), 'one OTP asked for, by the preflight').toBe(1);
    expect(Object.values(wrongOtps()), "the emulator's count: one wrong OTP in all").toEqual([1]);
  });

  test('an OTP command that turns wrong mid-night costs at most one verify attempt per address, through retries', async ({
    night,
    runSuite,
  }, testInfo) => {
    // Right for the preflight only: every later login meets a wrong code. Rules 8 and 2 only: each
    // of their four tests needs a login of its own, and so does each retry (in a new worker).
    const { env, asked, wrongOtps } = await night(1);
    const run = await runSuite({ env, args: [...NIGHTLY, '--grep', '@R8|@R2'] });
    expect(run.exitCode, 'the night is red').not.toBe(0);
    expect(run.globalErrors, 'the preflight passed').toEqual([]);
    for (const line of new Set(run.failed.map((t) => t.message.replace(/qa\+\d@example\.com/g, 'qa+N@example.com')))) {
      expect(line).toMatch(
        /^OtpRefusedError: Verify User OTP failed: .*fix TRANSAK_OTP_COMMAND \(qa\+N@example\.com is not tried again in this run|^LoginsStoppedError: not run: no more logins with qa\+N@example\.com/,
      );
    }
    const perAddress = wrongOtps();
    const wrong = sum(Object.values(perAddress));
    testInfo.annotations.push({ type: 'wrong OTPs per address', description: JSON.stringify(perAddress) });
    expect(wrong, 'the night did meet wrong codes').toBeGreaterThan(0);
    expect(
      Math.max(...Object.values(perAddress)),
      `the emulator's count of wrong OTPs per address: ${JSON.stringify(perAddress)}`,
    ).toBeLessThanOrEqual(1);
    // A code handed out may go unverified (its test ended first); a verify never goes without one.
    expect(asked() - 1, 'no refused verify without a wrong code handed out for it').toBeGreaterThanOrEqual(wrong);
  });
});
