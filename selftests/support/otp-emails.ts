/**
 * OTP emails the way a real sender writes them, for the extraction tests and the IMAP self-test:
 * HTML only or with a text part that holds no code, quoted-printable, and full of other numbers
 * (a date and time, an IP, a reference, a ticket, a case and an invoice number, phone numbers, a
 * street number, a zip code, a year, digits in a link) around the code.
 */

/** The visible HTML of a sign-in email to `to` with `otp` in it, and many other digit runs. */
export function stagingStyleHtml(to: string, otp: string): string {
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

/** Quoted-printable (RFC 2045): `=` and non-ASCII as =XX, lines kept under 76 characters. */
function quotedPrintable(text: string): string {
  const encoded = [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      byte === 0x0a || (byte >= 0x20 && byte < 0x7f && byte !== 0x3d)
        ? String.fromCharCode(byte)
        : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  const softBroken = (line: string): string => {
    const pieces: string[] = [''];
    // An escape (=XX) is never cut; a soft break (= at the end) keeps each piece under 76.
    for (const unit of line.match(/=[0-9A-F]{2}|./g) ?? []) {
      if (pieces[pieces.length - 1].length + unit.length > 75) pieces.push('');
      pieces[pieces.length - 1] += unit;
    }
    return pieces.join('=\r\n');
  };
  return encoded.split('\n').map(softBroken).join('\r\n');
}

/**
 * The raw message: HTML only by default; with `textPart`, multipart/alternative whose text part is
 * that text (as senders write "view this email in a browser" and put the code only in the HTML).
 */
export function stagingStyleEmail(to: string, otp: string, options: { textPart?: string; date?: Date } = {}): string {
  const headers = [
    'From: Transak <no-reply@example.com>',
    `To: "QA" <${to}>`,
    'Subject: Your Transak verification',
    `Date: ${(options.date ?? new Date()).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${Date.now()}.${Math.random().toString(36).slice(2)}@example.com>`,
    'MIME-Version: 1.0',
  ];
  const html = [
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(stagingStyleHtml(to, otp)),
  ];
  if (options.textPart === undefined) return [...headers, ...html, ''].join('\r\n');
  const boundary = 'b1_otp_selftest';
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(options.textPart),
    `--${boundary}`,
    ...html,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
