/**
 * The OTP from a real mailbox: dovecot on 127.0.0.1, the emulator mailing each random OTP into its
 * Maildir, the suite reading it over IMAP. First the provider on its own (which message counts, what a
 * failure reads like), then the suite's logins against the reference and the staging profile.
 */
import { readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { otpMessage } from '../../emulator/maildir';
import { optionsFromEnv } from '../../emulator/options';
import { otpInMessage } from '../../helpers/otp/extract-code';
import { imapOtp } from '../../helpers/otp/imap-provider';
import { parseImapUrl } from '../../helpers/otp/imap-url';
import { OtpError } from '../../helpers/otp/imap-errors';
import { expect, test as base } from '../fixtures';
import { stagingStyleEmail } from '../support/otp-emails';
import { served } from '../support/emulator-client';
import { readOtpStats, refusals, sum } from './support';

const test = base.extend<{
  /** OTP providers reading the test's mailbox, or the mailbox at `url`; closed after the test. */
  imap: (timeoutMs?: number, url?: string) => ReturnType<typeof imapOtp>;
  /** A message in the test's mailbox as if it had arrived at `arrived` (its file time is its IMAP date). */
  deliver: (message: string, arrived?: Date) => void;
}>({
  imap: async ({ mailbox }, use) => {
    const providers: Array<ReturnType<typeof imapOtp>> = [];
    await use((timeoutMs = 5000, url = mailbox.url) => {
      const parsed = parseImapUrl(url);
      if ('problem' in parsed) throw new Error(parsed.problem);
      providers.push(imapOtp({ mailbox: parsed, timeoutMs, clockSlackMs: 0 }));
      return providers[providers.length - 1];
    });
    await Promise.all(providers.map((provider) => provider.close()));
  },
  deliver: async ({ mailbox }, use) => {
    let written = 0;
    await use((message, arrived = new Date()) => {
      const name = `${Math.floor(arrived.getTime() / 1000)}.M${++written}P${process.pid}.selftest`;
      const tmp = join(mailbox.maildir, 'tmp', name);
      writeFileSync(tmp, message, { mode: 0o644 });
      utimesSync(tmp, arrived, arrived);
      renameSync(tmp, join(mailbox.maildir, 'new', name));
    });
  },
});

/** The code of every message in a Maildir whose text matches `addressed` ('' where none could be read); dovecot moves the messages it has shown to cur/. */
async function codesInMailsTo(maildir: string, addressed: RegExp): Promise<string[]> {
  const files = ['new', 'cur'].flatMap((sub) => readdirSync(join(maildir, sub)).map((file) => join(maildir, sub, file)));
  const texts = files.map((file) => readFileSync(file, 'utf8')).filter((text) => addressed.test(text));
  return Promise.all(texts.map(async (text) => (await otpInMessage(text)) ?? ''));
}

const failureOf = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => Promise.reject(new Error('expected the OTP source to fail')),
    (error: unknown) => error as Error,
  );

test.describe('staging readiness: OTP from a real mailbox (dovecot on loopback)', () => {
  test.describe.configure({ timeout: 60_000 });

  test('the first email TO the address that arrived after the request counts, and each is used once', async ({ imap, deliver }) => {
    const provider = imap();
    const sentAt = new Date();
    deliver(otpMessage('qa1@example.com', '111111'), new Date(sentAt.getTime() - 60_000)); // before the request
    deliver(otpMessage('xqa1@example.com', '222222')); // another address that contains this one
    deliver(otpMessage('qa1@example.com', '333333'));
    deliver(otpMessage('qa1@example.com', '444444'), new Date(sentAt.getTime() + 1000));
    expect(await provider.otpFor({ email: 'qa1@example.com', sentAt })).toBe('333333');
    // The first after the request is used: the next request takes the next one, never the same message or code.
    expect(await provider.otpFor({ email: 'qa1@example.com', sentAt })).toBe('444444');
    expect(
      await provider.otpFor({ email: 'QA1@example.com', sentAt: new Date(sentAt.getTime() + 100) }).catch((e: Error) => e.message),
    ).toMatch(/^no OTP email for QA1@example\.com within 5000 ms/);
    // One mailbox for every test user (plus-addressing): qa+1@ takes its own mail, never the
    // newer mail of qa+11@ or of an address that contains its own.
    const plusAt = new Date();
    deliver(otpMessage('qa+1@example.com', '777777'), plusAt);
    deliver(otpMessage('qa+11@example.com', '666666'), new Date(plusAt.getTime() + 1000));
    deliver(otpMessage('xqa+1@example.com', '888888'), new Date(plusAt.getTime() + 1000));
    expect(await provider.otpFor({ email: 'qa+1@example.com', sentAt: plusAt })).toBe('777777');
    expect(await provider.otpFor({ email: 'qa+11@example.com', sentAt: plusAt })).toBe('666666');
    // An HTML email full of other numbers (dates, a reference, a phone number, a year).
    deliver(await stagingStyleEmail('qa+2@example.com', '314159'));
    expect(await provider.otpFor({ email: 'qa+2@example.com', sentAt: plusAt })).toBe('314159');
    // Two logins of one address in flight at once, a cooldown apart, both emails there before
    // either looks: each takes the mail that came after it, whichever looks first.
    for (const [email, order] of [
      ['twice@example.com', [0, 1]],
      ['twice-again@example.com', [1, 0]],
    ] as const) {
      const earlier = new Date();
      const asks = [
        { sentAt: earlier, code: '121212' },
        { sentAt: new Date(earlier.getTime() + 2000), code: '343434' },
      ];
      for (const { sentAt: at, code } of asks) deliver(otpMessage(email, code), at);
      for (const i of order)
        expect(await provider.otpFor({ email, sentAt: asks[i].sentAt }), `${email}, request ${i + 1} of 2`).toBe(asks[i].code);
    }
    // A message that arrives while the provider waits is found.
    const later = new Date();
    setTimeout(() => deliver(otpMessage('late@example.com', '555555')), 700);
    expect(await provider.otpFor({ email: 'late@example.com', sentAt: later })).toBe('555555');
  });

  test('no email within TRANSAK_OTP_TIMEOUT_MS: one line naming the address, the mailbox (no password) and the fix', async ({
    imap,
    mailbox,
  }) => {
    const started = Date.now();
    const error = await failureOf(imap(1200).otpFor({ email: 'nobody-writes@example.com', sentAt: new Date() }));
    // A lower bound only: it waited the whole timeout before giving up (an upper bound would time the machine).
    expect(Date.now() - started, 'it waited out the timeout').toBeGreaterThanOrEqual(1200);
    expect(error).toBeInstanceOf(OtpError);
    expect(error.message).toBe(
      `no OTP email for nobody-writes@example.com within 1200 ms: check the mailbox imap://${mailbox.user}@127.0.0.1:${mailbox.port}/INBOX receives the target's OTP emails for that address, or raise TRANSAK_OTP_TIMEOUT_MS (see TRANSAK_OTP_IMAP_URL)`,
    );
  });

  test('a wrong password, a closed port, a missing folder: each one line, never the password', async ({ imap, mailbox }) => {
    const failureAt = (url: string) => failureOf(imap(5000, url).otpFor({ email: 'a@example.com', sentAt: new Date() }));
    const auth = await failureAt(mailbox.url.replace(`:${mailbox.password}@`, ':not-the-password@'));
    expect(auth.message).toMatch(
      new RegExp(
        `^TRANSAK_OTP_IMAP_URL: imap://${mailbox.user}@127\\.0\\.0\\.1:${mailbox.port}/INBOX refused the login( \\(AUTHENTICATIONFAILED\\))?: check the user and password of the test mailbox$`,
      ),
    );
    expect(auth.message).not.toContain('not-the-password');
    expect((await failureAt(mailbox.url.replace(`:${mailbox.port}/`, ':9/'))).message).toBe(
      'TRANSAK_OTP_IMAP_URL: cannot reach the IMAP server 127.0.0.1:9 (ECONNREFUSED): check the host and port, and the network path to it',
    );
    const missing = await failureAt(mailbox.url.replace(/\/INBOX$/, '/NoSuchFolder'));
    expect(missing.message).toMatch(/^TRANSAK_OTP_IMAP_URL: imap:\/\/\S+\/NoSuchFolder: the mailbox "NoSuchFolder" does not exist/);
    expect(missing.message).not.toContain(mailbox.password);
  });

  /** One mailbox receives every address of the pool: qa+1@ must never take qa+11@'s mail. */
  const PLUS_POOL = Array.from({ length: 12 }, (_, i) => `qa+${i + 1}@staging-mailbox.test`);
  const SETUPS = [
    {
      title: 'the reference profile (plain-text emails, a generated address per login)',
      emulator: { args: [] as string[], env: {} as Record<string, string> },
      suite: {} as Record<string, string>,
      addressedTo: /@logout-suite\.test\b/,
    },
    {
      title: 'the staging profile (HTML emails full of other numbers, one mailbox for a pool of plus-addresses)',
      emulator: { args: ['--profile=staging'], env: { EMULATOR_ALLOWLIST: '127.0.0.1,::1' } },
      suite: { TRANSAK_EMAILS: PLUS_POOL.join(',') },
      addressedTo: /@staging-mailbox\.test\b/,
    },
  ];

  // Every way the suite logs in: rule 6 (two users, then one address twice: the newer mail counts) and
  // rule 8 (five logins in a row), two processes reading one mailbox. The whole suite over IMAP is the kill matrix's.
  const EVERY_LOGIN = ['--grep', '@R6|@R8', '--workers=2'];

  for (const setup of SETUPS) {
    test(`the suite's logins against ${setup.title}, every OTP read over IMAP from dovecot: they pass, and print no password or code`, async ({
      mailbox,
      newClient,
      runSuite,
    }, testInfo) => {
      test.setTimeout(180_000);
      const statsFile = testInfo.outputPath('emulator-stats.json');
      // The emulator server.ts would start with these variables and arguments, served from this process.
      const emulatorEnv = {
        EMULATOR_MAILDIR: mailbox.maildir,
        EMULATOR_OTP: 'random',
        EMULATOR_OTP_COOLDOWN_MS: '2000',
        EMULATOR_STATS_FILE: statsFile,
        ...setup.emulator.env,
      };
      const url = await served(newClient(optionsFromEnv(emulatorEnv, setup.emulator.args)));
      const run = await runSuite({
        env: {
          TRANSAK_BASE_URL: url,
          TRANSAK_OTP_IMAP_URL: mailbox.url,
          TRANSAK_OTP_COOLDOWN_MS: '2000',
          // Bounds for a hang, not for a busy machine: at load 20 a login here once went 15 s unanswered.
          TRANSAK_OTP_TIMEOUT_MS: '60000',
          TRANSAK_REQUEST_TIMEOUT_MS: '60000',
          ...setup.suite,
        },
        args: EVERY_LOGIN,
      });
      expect(run.failed.map((t) => `${t.title}: ${t.message}`)).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.tests.length).toBeGreaterThan(0);
      expect(run.tests.filter((t) => t.status !== 'passed').map((t) => t.title)).toEqual([]);

      // Every OTP the emulator sent was an email in the Maildir.
      const codes = await codesInMailsTo(mailbox.maildir, setup.addressedTo);
      const sent = sum(Object.values(readOtpStats(statsFile)['send-user-otp']).map((a) => a.calls - refusals(a)));
      expect(sent, 'the run logged in').toBeGreaterThan(0);
      expect(codes, 'one email per OTP the emulator sent, each with a readable code').toHaveLength(sent);
      expect(
        codes.filter((code) => !code),
        'emails whose code could not be read',
      ).toEqual([]);
      expect(
        codes.filter((code) => run.output.includes(code)),
        'no OTP in the run output',
      ).toEqual([]);
      expect(run.output, 'the mailbox password never appears').not.toContain(mailbox.password);
      testInfo.annotations.push({
        type: 'measured',
        description: `${run.tests.length} tests, ${codes.length} OTP emails read over IMAP, ${Math.round(run.durationMs / 1000)} s`,
      });
    });
  }
});
