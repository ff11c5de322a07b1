/**
 * OTP emails as a real sender writes them: HTML only or with a text part that holds no code,
 * quoted-printable, and full of other numbers (dates, an IP, references, phone numbers, an address,
 * digits in a link) around the code.
 */
import MailComposer from 'nodemailer/lib/mail-composer';

/** The visible HTML of a sign-in email to `to` with `otp` in it, and many other digit runs. */
function stagingStyleHtml(to: string, otp: string): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>td { font-family: Arial, sans-serif; } .otp { font-size: 32px; letter-spacing: 8px; }</style></head>
<body>
<table width="600" cellpadding="0" cellspacing="0" role="presentation">
  <tr>
    <td><img src="https://assets.example.com/logo-2026-123456.png" alt="Transak" width="120" height="40"></td>
    <td style="text-align: right">28/11/2026 10:42 UTC</td>
  </tr>
  <tr><td colspan="2">
    <h1>Verify your email</h1>
    <p>Hi ${to},</p>
    <p>We received a request to sign in to Transak on 28 November 2026 at 10:42 from IP 203.0.113.7.</p>
    <p>Please use the following One Time Password (OTP) to continue:</p>
    <div class="otp"><strong>${otp}</strong></div>
    <p>This OTP is valid for 10 minutes. Request reference: 84736251. Ticket no. 771020.</p>
    <p>Questions? Call us at +1 (415) 555-0123 or 1-800-555-0199, or write to support@example.com quoting case 123987.</p>
    <p><a href="https://example.com/verify?session=482913&amp;t=20261128">Open Transak</a></p>
  </td></tr>
  <tr><td colspan="2" style="font-size: 11px">© 2026 Transak Inc., 2261 Market Street #4321, San Francisco, CA 94114. Order #552211 · Invoice 100234</td></tr>
</table>
</body></html>
`;
}

/**
 * The raw message, quoted-printable: HTML only by default; with `textPart`, multipart/alternative whose
 * text part is that text (as senders write "view this email in a browser" and put the code only in the HTML).
 */
export async function stagingStyleEmail(to: string, otp: string, options: { textPart?: string } = {}): Promise<string> {
  const message = new MailComposer({
    from: 'Transak <no-reply@example.com>',
    to: { name: 'QA', address: to },
    subject: 'Your Transak verification',
    text: options.textPart,
    html: stagingStyleHtml(to, otp),
    textEncoding: 'quoted-printable',
  });
  return (await message.compile().build()).toString();
}
