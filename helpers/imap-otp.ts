/**
 * The OTP from the test mailbox: after Send User OTP, poll the mailbox (TRANSAK_OTP_IMAP_URL) for
 * the newest message addressed to that user that arrived after the request, and read the code out
 * of it. One IMAP connection per worker, opened on first use and reopened if it drops. A message
 * or a code is used once only. Nothing here logs: not the password, not the code.
 */
import { ImapFlow, type FetchMessageObject } from 'imapflow';
import { simpleParser } from 'mailparser';
import type { ImapMailbox } from './imap-url';
// otp-providers imports this module too: OtpError is only used inside functions, never at load time.
import { OtpError, type OtpProvider, type OtpRequest } from './otp-providers';

export interface ImapOtpOptions {
  mailbox: ImapMailbox;
  /** The whole wait for one OTP, connecting included (TRANSAK_OTP_TIMEOUT_MS). */
  timeoutMs: number;
  /** A message may look this much older than the request (mail server clock, 1 s IMAP dates). */
  clockSlackMs: number;
  /** First pause between two looks at the mailbox; it grows to 2 s. */
  pollMs?: number;
}

/** A 4-8 digit run after a word that announces it ("Your OTP is 123456", "code: 1234"). */
const ANNOUNCED = /\b(?:otp|one[- ]time(?: password| code)?|passcode|verification code|security code|code|pin)\b[^0-9]{0,40}?(?<![\d-])(\d{4,8})(?![\d-])/i;
const STANDALONE = /(?<![\d\-.:/])\b(\d{4,8})\b(?![\d\-.:/])/g;

/** The code in an OTP email's subject and text, or undefined when none can be told apart. */
export function extractOtp(text: string): string | undefined {
  const announced = ANNOUNCED.exec(text)?.[1];
  if (announced !== undefined) return announced;
  const runs = [...new Set([...text.matchAll(STANDALONE)].map((m) => m[1]))];
  if (runs.length === 1) return runs[0];
  const sixes = runs.filter((r) => r.length === 6);
  return sixes.length === 1 ? sixes[0] : undefined;
}

interface Seen {
  to: string[];
  arrived: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ETIMEDOUT|CONNECT_TIMEOUT|GREETING_TIMEOUT|NoConnection|EConnectionClosed)$/;

export function imapOtp(options: ImapOtpOptions): OtpProvider & { close(): Promise<void> } {
  const { mailbox: box, timeoutMs, clockSlackMs } = options;
  const firstPollMs = options.pollMs ?? 200;
  let client: ImapFlow | undefined;
  let connecting: Promise<ImapFlow> | undefined;
  let uidValidity: string | undefined;
  const seen = new Map<number, Seen>();
  const consumedUids = new Set<number>();
  const consumedCodes = new Map<string, Set<string>>();

  /** One line naming the variable and the fix; the password is scrubbed even from server text. */
  function explain(error: unknown): OtpError {
    if (error instanceof OtpError) return error;
    const e = (error ?? {}) as { code?: string; message?: string; authenticationFailed?: boolean; serverResponseCode?: string; mailboxMissing?: boolean; tlsFailed?: boolean; responseText?: string };
    const scrub = (text: string): string => text.split(box.password).join('[redacted]').split('\n')[0].slice(0, 160);
    let line: string;
    if (e.authenticationFailed) {
      line = `TRANSAK_OTP_IMAP_URL: ${box.display} refused the login${e.serverResponseCode ? ` (${e.serverResponseCode})` : ''}: check the user and password of the test mailbox`;
    } else if (e.mailboxMissing || e.code === 'NotFound') {
      line = `TRANSAK_OTP_IMAP_URL: ${box.display}: the mailbox "${box.mailbox}" does not exist: name an existing folder after the port, like /INBOX`;
    } else if (e.tlsFailed || /\b(CERT_|SELF_SIGNED|UNABLE_TO_|ERR_SSL|wrong version number)/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) {
      line = `TRANSAK_OTP_IMAP_URL: TLS with ${box.host}:${box.port} failed (${scrub(e.code ?? e.message ?? 'unknown')}): check that the port speaks imaps (993) and its certificate is valid`;
    } else if (e.code !== undefined && UNREACHABLE.test(e.code)) {
      line = `TRANSAK_OTP_IMAP_URL: cannot reach the IMAP server ${box.host}:${box.port} (${e.code}): check the host and port, and the network path to it`;
    } else {
      line = `TRANSAK_OTP_IMAP_URL: the IMAP server ${box.display} failed (${scrub(e.responseText ?? e.code ?? e.message ?? String(error))}): check the mailbox`;
    }
    return new OtpError(line);
  }

  async function connection(budgetMs: number): Promise<ImapFlow> {
    if (client?.usable) return client;
    connecting ??= (async () => {
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
        throw explain(error);
      }
      client = fresh;
      return fresh;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  /** One look at the mailbox: the code of the newest fitting message, or undefined. */
  async function look(imap: ImapFlow, email: string, notBefore: number, noCode: Set<number>): Promise<string | undefined> {
    const lock = await imap.getMailboxLock(box.mailbox);
    try {
      // Makes the server look for new mail (Maildir/new, a delivery queue) before the search.
      await imap.noop();
      const validity = imap.mailbox ? String(imap.mailbox.uidValidity) : undefined;
      if (validity !== uidValidity) {
        // UIDs of another mailbox generation mean nothing: forget them (codes stay consumed).
        uidValidity = validity;
        seen.clear();
        consumedUids.clear();
      }
      // IMAP SINCE has day granularity in the server's time zone: a day and a half covers any zone.
      const uids = await imap.search({ to: email, since: new Date(notBefore - 1.5 * DAY_MS) }, { uid: true });
      if (uids === false || uids === undefined) throw new OtpError(`TRANSAK_OTP_IMAP_URL: ${box.display} refused to search "${box.mailbox}": check the mailbox`);
      const unknown = uids.filter((uid) => !seen.has(uid));
      if (unknown.length > 0) {
        for await (const msg of imap.fetch(unknown.join(','), { uid: true, envelope: true, internalDate: true }, { uid: true })) {
          seen.set(msg.uid, describeMessage(msg));
        }
      }
      const wanted = email.toLowerCase();
      // SEARCH TO matches substrings ("a@x.co" inside "ba@x.co"): keep exact recipients only.
      const fitting = uids
        .filter((uid) => !consumedUids.has(uid))
        .map((uid) => ({ uid, info: seen.get(uid) }))
        .filter((m): m is { uid: number; info: Seen } => m.info !== undefined && m.info.to.includes(wanted) && m.info.arrived >= notBefore)
        .sort((a, b) => b.info.arrived - a.info.arrived || b.uid - a.uid);
      for (const { uid } of fitting) {
        const msg = await imap.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
        consumedUids.add(uid);
        if (msg === false || msg.source === undefined) continue;
        const parsed = await simpleParser(msg.source);
        const text = `${parsed.subject ?? ''}\n${parsed.text ?? (typeof parsed.html === 'string' ? parsed.html.replace(/<[^>]*>/g, ' ') : '')}`;
        const code = extractOtp(text);
        if (code === undefined) {
          noCode.add(uid);
          continue;
        }
        const used = consumedCodes.get(wanted) ?? new Set<string>();
        consumedCodes.set(wanted, used);
        if (used.has(code)) continue;
        used.add(code);
        return code;
      }
      return undefined;
    } finally {
      lock.release();
    }
  }

  async function otpFor({ email, sentAt }: OtpRequest): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    // IMAP dates have whole seconds: compare from the start of the request's second.
    const notBefore = Math.floor(sentAt.getTime() / 1000) * 1000 - clockSlackMs;
    const noCode = new Set<number>();
    let pause = firstPollMs;
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
        code = await Promise.race([connection(left).then((imap) => look(imap, email, notBefore, noCode)), outOfTime]);
      } catch (error) {
        const explained = explain(error);
        // A connection that dropped between two looks is reopened once; anything else is final.
        const dropped = /cannot reach|failed \((NoConnection|EConnectionClosed)/.test(explained.message) && client === undefined && !reconnected;
        if (!dropped || /refused the login/.test(explained.message)) throw explained;
        reconnected = true;
        continue;
      } finally {
        clearTimeout(timer);
      }
      if (code === 'timeout') {
        // A look still in flight would hold the mailbox lock: drop the connection, the next call reconnects.
        client?.close();
        client = undefined;
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

  return {
    kind: 'imap',
    otpFor,
    async close() {
      const open = client;
      client = undefined;
      if (open?.usable) await open.logout().catch(() => open.close());
      else open?.close();
    },
  };
}

function describeMessage(msg: FetchMessageObject): Seen {
  const to = [...(msg.envelope?.to ?? []), ...(msg.envelope?.cc ?? [])]
    .map((a) => a.address?.toLowerCase())
    .filter((a): a is string => a !== undefined);
  const date = msg.internalDate instanceof Date ? msg.internalDate : new Date(msg.internalDate ?? 0);
  return { to, arrived: date.getTime() };
}
