// Two correct servers, both of which the whole suite must pass: the reference (a fixed OTP, both error
// shapes in one body, anybody may call) and staging, like Transak's gateway as documented and as public clients meet it.

export interface Profile {
  /** OTPs are random and reach the user only by email (an onOtpIssued delivery is required). */
  otpOnlyByEmail: boolean;
  /** The OTP email: a short plain-text note, or an HTML email with other digit runs around the code. */
  otpEmail: 'plain' | 'html';
  /** What Send User OTP says about a user who never verified an OTP ("a new user"). */
  newUserTncAccepted: boolean;
  /** `both` documented error shapes in one body, or the error-codes page's, without `name` except in logout's 400 and 500. */
  errorShape: 'both' | 'error-codes';
  /** Callers are refused unless their socket address is on the allowlist (which must be given). */
  requiresAllowlist: boolean;
}

export const PROFILES = Object.freeze({
  reference: { otpOnlyByEmail: false, otpEmail: 'plain', newUserTncAccepted: true, errorShape: 'both', requiresAllowlist: false },
  staging: { otpOnlyByEmail: true, otpEmail: 'html', newUserTncAccepted: false, errorShape: 'error-codes', requiresAllowlist: true },
} satisfies Record<string, Profile>);
export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as readonly ProfileName[];

export function isProfileName(name: string): name is ProfileName {
  return Object.hasOwn(PROFILES, name);
}
