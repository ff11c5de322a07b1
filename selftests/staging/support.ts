/**
 * Small pieces the staging-readiness self-tests share: counting outcomes, and locking an address
 * on the emulator the way a client would.
 */
import { EMULATOR_DEFAULT_API_KEY } from '../../helpers/embedded-emulator';
import type { SuiteRun } from '../fixtures';

export function tally(run: SuiteRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of run.tests) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return counts;
}

const PARTNER_HEADERS = { 'x-api-key': EMULATOR_DEFAULT_API_KEY, 'x-user-ip': '203.0.113.7', 'content-type': 'application/json' };

/** One Send User OTP, as another client would send it: the address's cooldown starts now. Returns its state token. */
async function askOtp(baseUrl: string, email: string): Promise<string> {
  const login = await fetch(`${baseUrl}/api/v2/auth/login`, {
    method: 'POST',
    headers: PARTNER_HEADERS,
    body: JSON.stringify({ apiKey: EMULATOR_DEFAULT_API_KEY, email }),
  });
  if (login.status !== 200) throw new Error(`could not ask an OTP for ${email}: ${login.status}`);
  return ((await login.json()) as { data: { stateToken: string } }).data.stateToken;
}

/** Four wrong OTPs in a row, as the gateway counts them: the address is locked for 24 h. */
export async function lockAccount(baseUrl: string, email: string): Promise<void> {
  const data = { stateToken: await askOtp(baseUrl, email) };
  for (let i = 0; i < 4; i++) {
    await fetch(`${baseUrl}/api/v2/auth/verify`, {
      method: 'POST',
      headers: PARTNER_HEADERS,
      body: JSON.stringify({ apiKey: EMULATOR_DEFAULT_API_KEY, email, otp: '000000', stateToken: data.stateToken }),
    });
  }
  const check = await fetch(`${baseUrl}/api/v2/auth/login`, {
    method: 'POST',
    headers: PARTNER_HEADERS,
    body: JSON.stringify({ apiKey: EMULATOR_DEFAULT_API_KEY, email }),
  });
  const body = (await check.json()) as { error?: { errorCode?: number } };
  if (check.status !== 403 || body.error?.errorCode !== 1020)
    throw new Error(`${email} did not lock: ${check.status} ${JSON.stringify(body)}`);
}
