/** An OTP source failed. The message is the one line a user reads: what failed and how to fix it. */
export class OtpError extends Error {
  override name = 'OtpError';
}
