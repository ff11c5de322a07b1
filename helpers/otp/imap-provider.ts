/**
 * The OTP from the test mailbox (TRANSAK_OTP_IMAP_URL): after Send User OTP, look at the mailbox
 * (imap-mailbox.ts) over one connection per worker (imap-connection.ts) until the code is there
 * or TRANSAK_OTP_TIMEOUT_MS has passed, with pauses that grow to 2 s.
 */
import { imapConnection } from './imap-connection';
import { ImapUnreachableError, OtpError, imapFailure } from './imap-errors';
import { mailboxReader } from './imap-mailbox';
import type { OtpSource } from '../config';

/** What every OTP source offers the token helper: the code for one Send User OTP (providers.ts has the others). */
export interface OtpProvider {
  readonly kind: OtpSource['kind'];
  otpFor(request: OtpRequest): Promise<string>;
  /** Releases what the source holds open (the IMAP connection); called when the worker ends. */
  close?(): Promise<void>;
}

export interface OtpRequest {
  email: string;
  /** When Send User OTP was called: a mailbox reader ignores anything older. */
  sentAt: Date;
}

/** timeoutMs is the whole wait for one OTP, connecting included; pauses between looks grow from 200 ms to 2 s. */
export function imapOtp(options: Omit<Extract<OtpSource, { kind: 'imap' }>, 'kind'>): OtpProvider & { close(): Promise<void> } {
  const { mailbox: box, timeoutMs, clockSlackMs } = options;
  const connection = imapConnection(box);
  const firstCode = mailboxReader(box);

  async function otpFor({ email, sentAt }: OtpRequest): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    // IMAP dates have whole seconds: compare from the start of the request's second.
    const notBefore = Math.floor(sentAt.getTime() / 1000) * 1000 - clockSlackMs;
    const noCode = new Set<number>();
    let pause = 200;
    let reconnected = false;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const outOfTime = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), left);
      });
      let code: string | undefined | 'timeout';
      try {
        code = await Promise.race([connection.open(left).then((imap) => firstCode(imap, { email, notBefore, noCode })), outOfTime]);
      } catch (error) {
        const failure = imapFailure(error, box);
        // A connection that dropped between two looks is reopened once; anything else is final.
        const dropped = failure instanceof ImapUnreachableError && connection.isClosed && !reconnected;
        if (!dropped) throw failure;
        reconnected = true;
        continue;
      } finally {
        clearTimeout(timer);
      }
      if (code === 'timeout') {
        // A look still in flight would hold the mailbox lock: drop the connection, the next call reconnects.
        connection.drop();
        break;
      }
      if (code !== undefined) return code;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, deadline - Date.now()))));
      pause = Math.min(2000, Math.round(pause * 1.5));
    }
    const skipped = noCode.size > 0 ? ` (${noCode.size} newer email(s) to it held no recognisable code)` : '';
    throw new OtpError(
      `no OTP email for ${email} within ${timeoutMs} ms${skipped}: check the mailbox ${box.display} receives the target's OTP emails for that address, or raise TRANSAK_OTP_TIMEOUT_MS (see TRANSAK_OTP_IMAP_URL)`,
    );
  }

  return { kind: 'imap', otpFor, close: () => connection.close() };
}
