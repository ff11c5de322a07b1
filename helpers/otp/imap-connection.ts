/**
 * One IMAP connection to the test mailbox, opened on first use, shared by the looks of one worker,
 * and reopened after it drops. Nothing here logs: not the password, not the mail.
 */
import { ImapFlow } from 'imapflow';
import { imapFailure } from './imap-errors';
import type { ImapMailbox } from './imap-url';

export function imapConnection(box: ImapMailbox) {
  let client: ImapFlow | undefined;
  let connecting: Promise<ImapFlow> | undefined;

  async function connect(budgetMs: number): Promise<ImapFlow> {
    const fresh = new ImapFlow({
      host: box.host,
      port: box.port,
      secure: box.secure,
      // Plain imap:// is only accepted for loopback (see imap-url.ts); there, stay in clear text.
      doSTARTTLS: box.secure ? undefined : false,
      auth: { user: box.user, pass: box.password },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: Math.max(1000, budgetMs),
      greetingTimeout: Math.max(1000, Math.min(16_000, budgetMs)),
    });
    // Without a listener a dropped connection would crash the worker; the next look reconnects.
    fresh.on('error', () => undefined);
    fresh.on('close', () => {
      if (client === fresh) client = undefined;
    });
    try {
      await fresh.connect();
    } catch (error) {
      fresh.close();
      throw imapFailure(error, box);
    }
    client = fresh;
    return fresh;
  }

  return {
    /** The open connection, or a new one within `budgetMs`; a failure is one line (imap-errors.ts). */
    async open(budgetMs: number): Promise<ImapFlow> {
      if (client?.usable) return client;
      connecting ??= connect(budgetMs).finally(() => {
        connecting = undefined;
      });
      return connecting;
    },
    /** No connection is open: never opened yet, dropped by the server, or dropped here. */
    get isClosed(): boolean {
      return client === undefined;
    },
    /** Abandons the connection at once (a look still in flight holds the mailbox lock). */
    drop(): void {
      client?.close();
      client = undefined;
    },
    /** Logs out politely when possible. */
    async close(): Promise<void> {
      const open = client;
      client = undefined;
      if (open?.usable) await open.logout().catch(() => open.close());
      else open?.close();
    },
  };
}
