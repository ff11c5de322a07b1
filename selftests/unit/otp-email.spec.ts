import { expect, test } from '../fixtures';
import { otpHtmlMessage } from '../../emulator/maildir';
import { extractOtp, otpInMessage } from '../../helpers/otp/extract-code';
import { isAddressedTo, recipients } from '../../helpers/otp/imap-mailbox';
import { stagingStyleEmail } from '../support/otp-emails';

/** Each row would read the wrong number (or guess) if the rule it names were gone. */
const WORDINGS: Array<{ text: string; code: string | undefined; proves: string }> = [
  { text: 'Your Transak OTP\nYour Transak OTP is 482913.\n\nIt expires in 10 minutes.', code: '482913', proves: 'the plain wording' },
  { text: 'Use 771020 to sign in. © 2026 Transak', code: '771020', proves: 'a lone run of the OTP length needs no announcing word' },
  { text: 'Welcome to Transak, order 2026-11-28', code: undefined, proves: 'a date is no code' },
  { text: 'Your code is 4829.', code: undefined, proves: 'only a run of exactly the OTP length counts' },
  { text: 'Welcome! Members since 771020 days, and 482913 more.', code: undefined, proves: 'two unannounced runs: no guess' },
  {
    text: 'Verification for order 771020\n\n482913\n\nValid for 10 minutes.',
    code: '482913',
    proves: 'a run introduced as an order number is never the code',
  },
  { text: 'Your verification code and reference: 771020\n\n482913', code: '482913', proves: 'a reference number is never the code' },
  {
    text: 'Code below. Open https://example.com/c/771020 to continue.\n482913',
    code: '482913',
    proves: 'digits in a link are part of the link',
  },
  { text: 'Code questions? Dial +771020 or 1-800-555-0199.\n482913', code: '482913', proves: 'a phone number is no code' },
  {
    text: 'Hello, 771020 customers trust us every day, thanks!\n\n482913 is your verification code.',
    code: '482913',
    proves: 'a word after the code announces it too',
  },
  { text: 'Your code: see below. Amount: 771020.50 USD\n482913', code: '482913', proves: 'an amount is no code' },
  { text: 'A verification email from 771020 Market St: your code is 482913', code: '482913', proves: 'the nearest announced run wins' },
];

test.describe('the OTP out of an email', () => {
  for (const { text, code, proves } of WORDINGS) {
    test(`${proves}: ${JSON.stringify(text.slice(0, 60))}`, () => {
      expect(extractOtp(text)).toBe(code);
    });
  }

  test('a code of another length is read when that length is asked for', () => {
    expect(extractOtp('Verification code: 0042 (valid until 2026-11-28 10:00)', 4)).toBe('0042');
    expect(extractOtp('Verification code: 0042 (valid until 2026-11-28 10:00)')).toBeUndefined();
  });

  test('an HTML-only, quoted-printable email full of other numbers gives its code', async () => {
    expect(await otpInMessage(await stagingStyleEmail('qa+1@example.com', '314159'))).toBe('314159');
    // The same template with another code: the answer follows the code, not the template.
    expect(await otpInMessage(await stagingStyleEmail('qa+1@example.com', '000271'))).toBe('000271');
  });

  test("the emulator's staging email (a random 6-digit reference before the code, a ticket after it) gives its code", async () => {
    for (let i = 0; i < 20; i++) {
      const code = String(100_000 + ((i * 7919) % 900_000));
      expect(await otpInMessage(await otpHtmlMessage('qa+1@example.com', code))).toBe(code);
    }
  });

  test('a text part without the code sends the reader to the HTML; a text part with it is read first', async () => {
    const viewInBrowser = 'View this email in your browser: https://example.com/m/20261128. © 2026 Transak';
    expect(await otpInMessage(await stagingStyleEmail('qa+1@example.com', '314159', { textPart: viewInBrowser }))).toBe('314159');
    expect(await otpInMessage(await stagingStyleEmail('qa+1@example.com', '314159', { textPart: 'Your Transak OTP is 271828.' }))).toBe(
      '271828',
    );
  });
});

test.describe('which mail is addressed to a test user', () => {
  const addressedTo = (email: string, to: string[], cc: string[] = []) =>
    isAddressedTo(recipients({ to: to.map((address) => ({ address })), cc: cc.map((address) => ({ address })) } as never), email);

  test('plus-addressing: qa+1@ is not qa+11@, nor an address that contains it', () => {
    expect(addressedTo('qa+1@example.com', ['qa+1@example.com'])).toBe(true);
    expect(addressedTo('qa+1@example.com', ['qa+11@example.com'])).toBe(false);
    expect(addressedTo('qa+1@example.com', ['xqa+1@example.com'])).toBe(false);
    expect(addressedTo('qa+1@example.com', ['qa@example.com'])).toBe(false);
  });

  test('case does not matter, and Cc counts like To', () => {
    expect(addressedTo('qa+1@example.COM', ['QA+1@Example.com'])).toBe(true);
    expect(addressedTo('qa+2@example.com', ['other@example.com'], ['qa+2@example.com'])).toBe(true);
  });
});
