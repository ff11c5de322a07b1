/**
 * Small pieces the staging-readiness self-tests share: counting outcomes, an in-process emulator
 * served on loopback, and locking an address on the emulator the way a client would.
 */
import type { AddressInfo } from 'node:net';
import { EMULATOR_DEFAULT_API_KEY } from '../../helpers/embedded-emulator';
import type { EmulatorClient } from '../support/emulator-client';
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

/**
 * An in-process emulator (the fixtures' `newClient`) served on a free loopback port, as the kill
 * matrix serves its targets: no process to start, and a test may add hooks before it listens. The
 * fixture closes it after the test. Returns its base URL.
 */
export async function served(emulator: EmulatorClient): Promise<string> {
  await emulator.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(emulator.app.server.address() as AddressInfo).port}`;
}
