// Delivers each OTP as an email into a Maildir, so the suite reads it over IMAP from a real server
// (dovecot in the self-tests).
import { randomBytes, randomInt } from 'node:crypto';
import { statSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Profile } from './profile';

export const OTP_SUBJECT = 'Your Transak OTP';
export const HTML_OTP_SUBJECT = 'Your Transak verification code';
const FROM = 'Transak <no-reply@transak-emulator.invalid>';

/** The reference profile's email: an RFC 5322 message To: the address, holding only the code. */
export function otpMessage(email: string, otp: string, now = new Date()): string {
  const id = `${randomBytes(8).toString('hex')}@transak-emulator.invalid`;
  return [
    `From: ${FROM}`,
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

/**
 * The staging profile's email, like a transactional one: HTML only, quoted-printable, full of digit
 * runs that are not the code (a date, a 6-digit reference before the code so "the first six digits"
 * is wrong, an expiry, a phone, a ticket, a year, a company number). The code follows "Your verification code is".
 */
export async function otpHtmlMessage(email: string, otp: string, now = new Date()): Promise<string> {
  const reference = String(randomInt(100_000, 1_000_000));
  const ticket = String(randomInt(100_000, 1_000_000));
  const sentAt = `${now.toUTCString().slice(5, 16)}, ${now.toISOString().slice(11, 16)} UTC`;
  const cell = 'font-family:Arial,sans-serif;color:#1a1f36;font-size:15px;line-height:22px';
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>Transak</title></head>
<body style="margin:0;padding:0;background:#f4f6fa">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;margin:0 auto;background:#ffffff">
<tr><td style="padding:24px"><img src="https://assets.transak-emulator.invalid/logo.png" alt="Transak" width="120" height="32"></td>
<td align="right" style="padding:24px;${cell};color:#8a94a6;font-size:12px">${sentAt}</td></tr>
<tr><td colspan="2" style="padding:0 24px;${cell}">
<h1 style="font-size:20px">Verify your email</h1>
<p>Hi ${escapeHtml(email)},</p>
<p>We received a request to sign in to Transak with this address.<br>Request reference: <b>${reference}</b></p>
<p>Your verification code is:</p>
<p style="font-size:32px;letter-spacing:6px;font-weight:700;margin:16px 0">${otp}</p>
<p>It expires in 10 minutes. Never share it with anyone, Transak staff included.</p>
<p>Not you? Call +44 20 3966 1234 or reply to ticket #${ticket}.</p>
</td></tr>
<tr><td colspan="2" style="padding:24px;${cell};color:#8a94a6;font-size:12px">&copy; ${now.getUTCFullYear()} Transak Limited &middot; Company No. 10841302 &middot; 2nd Floor, 10 Example Street, London EC1A 1BB</td></tr>
</table>
</body></html>`;
  const message = await new MailComposer({
    from: FROM,
    to: email,
    subject: HTML_OTP_SUBJECT,
    date: now,
    messageId: `<${randomBytes(8).toString('hex')}@transak-emulator.invalid>`,
    html,
    textEncoding: 'quoted-printable',
  })
    .compile()
    .build();
  return message.toString();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

let delivered = 0;

/** Whether `path` is a folder: false for a missing path, a file, or one this process may not read. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The onOtpIssued hook for EMULATOR_MAILDIR: written into tmp/, then renamed into new/, so a reader never
 * sees half a message. Throws at once when `dir` is not a Maildir (the mail server owns it; we never create one).
 */
export function maildirDelivery(dir: string, format: Profile['otpEmail'] = 'plain'): (email: string, otp: string) => Promise<void> {
  for (const sub of ['new', 'tmp']) if (!isDirectory(join(dir, sub))) throw new Error(`${dir} is not a Maildir: it has no ${sub}/ folder`);
  return async (email, otp) => {
    delivered += 1;
    const [seconds, micros] = [Math.floor(Date.now() / 1000), Math.floor((performance.now() % 1000) * 1000)];
    const name = `${seconds}.M${micros}P${process.pid}Q${delivered}R${randomBytes(4).toString('hex')}.${hostname().replace(/[/:]/g, '_')}`;
    const tmp = join(dir, 'tmp', name);
    // 0644: the mail server may run as another user (dovecot's mail user when the emulator is root).
    await writeFile(tmp, format === 'html' ? await otpHtmlMessage(email, otp) : otpMessage(email, otp), { mode: 0o644, flush: true });
    await rename(tmp, join(dir, 'new', name));
  };
}
