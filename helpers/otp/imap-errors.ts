/**
 * What went wrong with an OTP source (OtpError, for every source), and with the test mailbox in
 * particular, as one line naming TRANSAK_OTP_IMAP_URL and the fix. The password is scrubbed even
 * from the server's own text.
 */
import type { ImapMailbox } from './imap-url';

/** An OTP source failed. The message is the one line a user reads: what failed and how to fix it. */
export class OtpError extends Error {
  override name = 'OtpError';
}

/** The IMAP server could not be reached: the one mailbox failure a reconnect may cure. */
export class ImapUnreachableError extends OtpError {}

const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ETIMEDOUT|CONNECT_TIMEOUT|GREETING_TIMEOUT|NoConnection|EConnectionClosed)$/;
const TLS_FAILURE = /\b(CERT_|SELF_SIGNED|UNABLE_TO_|ERR_SSL|wrong version number)/i;

/** The fields imapflow puts on its errors. */
interface ImapFlowError {
  code?: string;
  message?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  mailboxMissing?: boolean;
  tlsFailed?: boolean;
  responseText?: string;
}

export function imapFailure(error: unknown, box: ImapMailbox): OtpError {
  if (error instanceof OtpError) return error;
  const e = (error ?? {}) as ImapFlowError;
  const scrub = (text: string): string => text.split(box.password).join('[redacted]').split('\n')[0].slice(0, 160);
  if (e.authenticationFailed) {
    return new OtpError(
      `TRANSAK_OTP_IMAP_URL: ${box.display} refused the login${e.serverResponseCode ? ` (${e.serverResponseCode})` : ''}: check the user and password of the test mailbox`,
    );
  }
  if (e.mailboxMissing || e.code === 'NotFound') {
    return new OtpError(
      `TRANSAK_OTP_IMAP_URL: ${box.display}: the mailbox "${box.mailbox}" does not exist: name an existing folder after the port, like /INBOX`,
    );
  }
  if (e.tlsFailed || TLS_FAILURE.test(`${e.code ?? ''} ${e.message ?? ''}`)) {
    return new OtpError(
      `TRANSAK_OTP_IMAP_URL: TLS with ${box.host}:${box.port} failed (${scrub(e.code ?? e.message ?? 'unknown')}): check that the port speaks imaps (993) and its certificate is valid`,
    );
  }
  if (e.code !== undefined && UNREACHABLE.test(e.code)) {
    return new ImapUnreachableError(
      `TRANSAK_OTP_IMAP_URL: cannot reach the IMAP server ${box.host}:${box.port} (${e.code}): check the host and port, and the network path to it`,
    );
  }
  return new OtpError(
    `TRANSAK_OTP_IMAP_URL: the IMAP server ${box.display} failed (${scrub(e.responseText ?? e.code ?? e.message ?? String(error))}): check the mailbox`,
  );
}
