// Delivers each OTP as an email into a Maildir, so the suite can read it over IMAP from a real
// server (dovecot in the self-tests). The message is written into tmp/ and renamed into new/, the
// Maildir way: a reader never sees half a message.
import { existsSync, statSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const OTP_SUBJECT = 'Your Transak OTP';

/** Throws when `dir` is not a Maildir (the emulator never creates one: ownership is the mail server's). */
export function assertMaildir(dir: string): void {
  for (const sub of ['new', 'tmp']) {
    const path = join(dir, sub);
    if (!existsSync(path) || !statSync(path).isDirectory()) throw new Error(`${dir} is not a Maildir: it has no ${sub}/ folder`);
  }
}

/** An RFC 5322 message To: the address, holding the code in its body. */
export function otpMessage(email: string, otp: string, now = new Date()): string {
  const id = `${randomBytes(8).toString('hex')}@transak-emulator.invalid`;
  return [
    'From: Transak <no-reply@transak-emulator.invalid>',
    `To: <${email}>`,
    `Subject: ${OTP_SUBJECT}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${id}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    `Your Transak OTP is ${otp}.`,
    '',
    'It expires in 10 minutes. If you did not ask for it, ignore this email.',
    '',
  ].join('\r\n');
}

let delivered = 0;

/** Writes one message into the Maildir: tmp/<unique> first, then an atomic rename into new/. */
export async function deliverToMaildir(dir: string, message: string): Promise<void> {
  delivered += 1;
  const [seconds, micros] = [Math.floor(Date.now() / 1000), Math.floor((performance.now() % 1000) * 1000)];
  const name = `${seconds}.M${micros}P${process.pid}Q${delivered}R${randomBytes(4).toString('hex')}.${hostname().replace(/[/:]/g, '_')}`;
  const tmp = join(dir, 'tmp', name);
  // 0644: the mail server may run as another user (dovecot's mail user when the emulator is root).
  await writeFile(tmp, message, { mode: 0o644, flush: true });
  await rename(tmp, join(dir, 'new', name));
}

/** The onOtpIssued hook for EMULATOR_MAILDIR. */
export function maildirDelivery(dir: string): (email: string, otp: string) => Promise<void> {
  assertMaildir(dir);
  return (email, otp) => deliverToMaildir(dir, otpMessage(email, otp));
}
