/**
 * What the preflight tells the workers about its login: which address it used and when, so no
 * worker asks that address for an OTP again inside its cooldown. Passed in an environment variable,
 * which Playwright's workers inherit from the process that ran the global setup.
 */
export const PREFLIGHT_LOGIN_VARIABLE = 'TRANSAK_PREFLIGHT_LOGIN';

export interface PreflightLogin {
  email: string;
  /** When its OTP was asked for (ms since the epoch). */
  at: number;
}

export function writePreflightLogin(login: PreflightLogin): string {
  return JSON.stringify(login);
}

export function readPreflightLogin(raw: string | undefined): PreflightLogin | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<PreflightLogin>;
    return typeof parsed.email === 'string' && typeof parsed.at === 'number' ? { email: parsed.email, at: parsed.at } : undefined;
  } catch {
    return undefined;
  }
}
