/**
 * The mailbox search: the first message addressed exactly to one user that arrived after their
 * Send User OTP and was not used yet, and the code in it. The target sends one email per accepted
 * Send User OTP, at most one per cooldown, so a request's mail is the first one after it; a later
 * request's mail may already be there when this one looks (the looks of a worker take turns on one
 * connection). One mailbox may receive every test user (plus-addressing: qa+1@…, qa+2@…): only an
 * exact recipient counts, so qa+1@ never takes the mail of qa+11@. A message, and a code, is used
 * once only.
 */
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { otpInMessage } from './extract-code';
import type { ImapMailbox } from './imap-url';
import { OtpError } from './imap-errors';

interface Seen {
  to: string[];
  arrived: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The message's recipients (To and Cc), lower-cased. */
export function recipients(envelope: FetchMessageObject['envelope']): string[] {
  return [...(envelope?.to ?? []), ...(envelope?.cc ?? [])]
    .map((a) => a.address?.toLowerCase())
    .filter((a): a is string => a !== undefined);
}

/** Exact, case-insensitive: a search by substring also finds "xqa+1@…" for "qa+1@…". */
export function isAddressedTo(to: string[], email: string): boolean {
  return to.includes(email.toLowerCase());
}

/** A reader that remembers, across looks, the messages it saw and the codes it handed out. */
export function mailboxReader(box: ImapMailbox) {
  let uidValidity: string | undefined;
  const seen = new Map<number, Seen>();
  const consumedUids = new Set<number>();
  const consumedCodes = new Map<string, Set<string>>();

  /**
   * One look: the code of the first fitting message not used before, or undefined. notBefore (epoch
   * ms): messages dated earlier are older than the request; noCode is filled with the UIDs of
   * fitting messages that held no recognisable code.
   */
  return async function firstCode(
    imap: ImapFlow,
    look: { email: string; notBefore: number; noCode: Set<number> },
  ): Promise<string | undefined> {
    const { email, notBefore, noCode } = look;
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
      if (uids === false || uids === undefined)
        throw new OtpError(`TRANSAK_OTP_IMAP_URL: ${box.display} refused to search "${box.mailbox}": check the mailbox`);
      const unknown = uids.filter((uid) => !seen.has(uid));
      if (unknown.length > 0) {
        for await (const msg of imap.fetch(unknown.join(','), { uid: true, envelope: true, internalDate: true }, { uid: true })) {
          const date = msg.internalDate instanceof Date ? msg.internalDate : new Date(msg.internalDate ?? 0);
          seen.set(msg.uid, { to: recipients(msg.envelope), arrived: date.getTime() });
        }
      }
      const fitting = uids
        .filter((uid) => !consumedUids.has(uid))
        .map((uid) => ({ uid, info: seen.get(uid) }))
        .filter(
          (m): m is { uid: number; info: Seen } => m.info !== undefined && isAddressedTo(m.info.to, email) && m.info.arrived >= notBefore,
        )
        .sort((a, b) => a.info.arrived - b.info.arrived || a.uid - b.uid);
      const used = consumedCodes.get(email.toLowerCase()) ?? new Set<string>();
      consumedCodes.set(email.toLowerCase(), used);
      for (const { uid } of fitting) {
        const msg = await imap.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
        consumedUids.add(uid);
        if (msg === false || msg.source === undefined) continue;
        const code = await otpInMessage(msg.source);
        if (code === undefined) {
          noCode.add(uid);
          continue;
        }
        if (used.has(code)) continue;
        used.add(code);
        return code;
      }
      return undefined;
    } finally {
      lock.release();
    }
  };
}
