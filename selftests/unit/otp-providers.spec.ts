import { expect, test } from '../fixtures';
import { OtpError } from '../../helpers/otp/imap-errors';
import { commandOtp, fixedOtp } from '../../helpers/otp/providers';

const REQUEST = { email: 'qa1@example.com', sentAt: new Date('2026-11-28T10:00:00Z') };

test.describe('OTP providers', () => {
  test('a fixed code is handed out as it is', async () => {
    expect(await fixedOtp('123456').otpFor(REQUEST)).toBe('123456');
  });

  test('a command gets the address in TRANSAK_OTP_EMAIL and its first 4-8 digit run is the code', async () => {
    const provider = commandOtp('echo "code for $TRANSAK_OTP_EMAIL: 482913"', 5000);
    expect(await provider.otpFor(REQUEST)).toBe('482913');
  });

  test('a failing command gives one clear line without its digits', async () => {
    const provider = commandOtp('echo "mailbox 998877 unreachable" >&2; exit 3', 5000);
    const error = await provider.otpFor(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OtpError);
    expect((error as Error).message).toBe(
      'TRANSAK_OTP_COMMAND exited with code 3 (mailbox [digits] unreachable): fix the command, or set TRANSAK_OTP to a fixed code',
    );
  });

  test('a command that prints no code says what it must print', async () => {
    await expect(commandOtp('echo nothing here', 5000).otpFor(REQUEST)).rejects.toThrow(
      'TRANSAK_OTP_COMMAND printed no 4-8 digit code: make it print the OTP for $TRANSAK_OTP_EMAIL on stdout',
    );
  });

  test('a command that hangs is stopped at its timeout', async () => {
    await expect(commandOtp('sleep 5', 300).otpFor(REQUEST)).rejects.toThrow(/did not finish within 300 ms/);
  });
});
