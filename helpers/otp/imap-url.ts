/**
 * TRANSAK_OTP_IMAP_URL, parsed: imaps://user:password@host:port/MAILBOX. TLS unless the scheme is
 * imap:// and the host is loopback (a test server on this machine): a password never crosses a
 * network in clear text. Problems come back as one line that never repeats the password.
 */
import { isLoopbackHost } from '../loopback';

export interface ImapMailbox {
  host: string;
  port: number;
  /** TLS from the first byte (imaps://). Plain imap:// is only ever allowed for loopback hosts. */
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  /** The URL without the password, for messages. */
  display: string;
}

const EXAMPLE = 'imaps://user:password@imap.example.com:993/INBOX';

function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** The mailbox, or the one-line reason the value cannot be used. */
export function parseImapUrl(raw: string): ImapMailbox | { problem: string } {
  if (!/^imaps?:\/\//i.test(raw)) {
    return { problem: `TRANSAK_OTP_IMAP_URL must start with imaps:// (or imap:// for a loopback test server), like ${EXAMPLE}` };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: `TRANSAK_OTP_IMAP_URL is not a URL: set it like ${EXAMPLE}, with @ : / in the password percent-encoded` };
  }
  const secure = url.protocol.toLowerCase() === 'imaps:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') return { problem: `TRANSAK_OTP_IMAP_URL names no host: set it like ${EXAMPLE}` };
  const [user, password] = [decoded(url.username), decoded(url.password)];
  if (user === undefined || password === undefined) {
    return { problem: 'TRANSAK_OTP_IMAP_URL has a badly percent-encoded user or password: encode % as %25, @ as %40, : as %3A, / as %2F' };
  }
  if (user === '' || password === '') {
    return { problem: `TRANSAK_OTP_IMAP_URL has no user or no password: set it like ${EXAMPLE}` };
  }
  if (!secure && !isLoopbackHost(host)) {
    return {
      problem: `TRANSAK_OTP_IMAP_URL uses plain imap:// for ${host}, which would send the password unencrypted: use imaps:// (plain imap:// is accepted only for a loopback test server)`,
    };
  }
  const port = url.port === '' ? (secure ? 993 : 143) : Number(url.port);
  if (url.search !== '' || url.hash !== '') {
    return { problem: `TRANSAK_OTP_IMAP_URL must hold no query or fragment: set it like ${EXAMPLE}` };
  }
  const mailbox = decoded(url.pathname.replace(/^\/+|\/+$/g, '') || 'INBOX');
  if (mailbox === undefined) return { problem: 'TRANSAK_OTP_IMAP_URL has a badly percent-encoded mailbox name' };
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return { host, port, secure, user, password, mailbox, display: `${secure ? 'imaps' : 'imap'}://${user}@${hostPart}:${port}/${mailbox}` };
}
