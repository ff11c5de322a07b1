/**
 * Where the one-time password comes from: a fixed code (the emulator, or staging accounts with a
 * fixed code), a command the team provides, or the test mailbox over IMAP.
 */
import { exec } from 'node:child_process';
import type { OtpSource } from '../config';
import { OtpError } from './imap-errors';
import type { OtpProvider } from './imap-provider';

export type { OtpProvider, OtpRequest } from './imap-provider';

const OTP_IN_TEXT = /\b(\d{4,8})\b/;

export function fixedOtp(otp: string): OtpProvider {
  return { kind: 'fixed', otpFor: async () => otp };
}

/** Runs the command through the shell with TRANSAK_OTP_EMAIL set; the first 4-8 digit run it prints is the OTP. */
export function commandOtp(command: string, timeoutMs: number, env: NodeJS.ProcessEnv = process.env): OtpProvider {
  return {
    kind: 'command',
    otpFor: ({ email, sentAt }) =>
      new Promise((resolve, reject) => {
        const childEnv = { ...env, TRANSAK_OTP_EMAIL: email, TRANSAK_OTP_SENT_AT: sentAt.toISOString() };
        exec(command, { env: childEnv, timeout: timeoutMs, maxBuffer: 64 * 1024 }, (error, stdout, stderr) => {
          if (error) {
            const why = error.killed ? `did not finish within ${timeoutMs} ms` : `exited with code ${error.code ?? 'unknown'}`;
            const detail = String(stderr).trim().split('\n')[0]?.replace(OTP_IN_TEXT, '[digits]').slice(0, 200);
            reject(
              new OtpError(
                `TRANSAK_OTP_COMMAND ${why}${detail ? ` (${detail})` : ''}: fix the command, or set TRANSAK_OTP to a fixed code`,
              ),
            );
            return;
          }
          const match = OTP_IN_TEXT.exec(String(stdout));
          if (!match) {
            reject(new OtpError('TRANSAK_OTP_COMMAND printed no 4-8 digit code: make it print the OTP for $TRANSAK_OTP_EMAIL on stdout'));
            return;
          }
          resolve(match[1]);
        });
      }),
  };
}

export function otpProviderFor(source: OtpSource): OtpProvider {
  switch (source.kind) {
    case 'fixed':
      return fixedOtp(source.otp);
    case 'command':
      return commandOtp(source.command, source.timeoutMs);
    case 'imap':
      return lazyImapOtp(source);
  }
}

/**
 * The IMAP and mail-parsing libraries load on the first OTP asked for, not with every worker: most
 * runs never read a mailbox, and a worker starts after every failed test.
 */
function lazyImapOtp(source: Extract<OtpSource, { kind: 'imap' }>): OtpProvider {
  let loaded: OtpProvider | undefined;
  // A require, not import(): Playwright's workers load TypeScript through its require hook only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const provider = (): OtpProvider => (loaded ??= (require('./imap-provider') as typeof import('./imap-provider')).imapOtp(source));
  return {
    kind: 'imap',
    otpFor: (request) => provider().otpFor(request),
    close: async () => loaded?.close?.(),
  };
}
