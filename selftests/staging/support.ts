/**
 * Small pieces the staging-readiness self-tests share: counting outcomes and the emulator's OTP
 * calls (EMULATOR_STATS_FILE), and locking an address on the emulator the way a client would.
 */
import { readFileSync } from 'node:fs';
import type { AddressStats, OtpStats } from '../../emulator/stats';
import type { SuiteRun } from '../fixtures';
import type { EmulatorClient } from '../support/emulator-client';

export const tally = (run: SuiteRun): Record<string, number> =>
  run.tests.reduce<Record<string, number>>((counts, t) => ({ ...counts, [t.status]: (counts[t.status] ?? 0) + 1 }), {});

export const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

export const readOtpStats = (file: string): OtpStats => JSON.parse(readFileSync(file, 'utf8')) as OtpStats;

/** An address's calls the emulator refused: with errorCode `code`, or with any. */
export const refusals = ({ errorCodes }: AddressStats, code?: string): number =>
  code === undefined ? sum(Object.values(errorCodes)) : (errorCodes[code] ?? 0);

/** One Send User OTP (the address's cooldown starts now), then four wrong OTPs in a row: the address is locked for 24 h. */
export async function lockAccount(emulator: EmulatorClient, email: string): Promise<void> {
  const login = await emulator.login(email);
  if (login.statusCode !== 200) throw new Error(`could not ask an OTP for ${email}: ${login.statusCode}`);
  const { stateToken } = login.json<{ data: { stateToken: string } }>().data;
  for (let i = 0; i < 4; i++) await emulator.verify(email, stateToken, '000000');
  const check = await emulator.login(email);
  if (check.statusCode !== 403 || check.json<{ error?: { errorCode?: number } }>().error?.errorCode !== 1020)
    throw new Error(`${email} did not lock: ${check.statusCode} ${check.body}`);
}
