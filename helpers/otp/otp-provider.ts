/** What every OTP source offers the token helper: the code for one Send User OTP. */
import type { OtpSource } from '../config';

export interface OtpRequest {
  email: string;
  /** When Send User OTP was called: a mailbox reader ignores anything older. */
  sentAt: Date;
}

export interface OtpProvider {
  readonly kind: OtpSource['kind'];
  otpFor(request: OtpRequest): Promise<string>;
  /** Releases what the source holds open (the IMAP connection); called when the worker ends. */
  close?(): Promise<void>;
}
