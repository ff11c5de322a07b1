/**
 * When each address last asked for an OTP in this run, kept on disk in the run's output folder.
 * Playwright starts a new worker process for each project it moves to, and after a failure, with
 * the same share of the pool: the new process reads the ledger, so it never asks an address again
 * inside the cooldown its predecessor (or the preflight) started. Playwright empties the folder at
 * the start of every run.
 */
import { join } from 'node:path';
import { keyName, runFiles } from './run-files';

export interface OtpLedger {
  /** When the address last asked (ms since the epoch), if it did in this run. */
  lastAsked(email: string): number | undefined;
  asked(email: string, at: number): void;
}

export function openOtpLedger(outputDir: string): OtpLedger {
  const files = runFiles(join(outputDir, '.transak-otp-ledger'));
  return {
    lastAsked(email) {
      const at = Number(files.get(keyName(email)) ?? NaN);
      return Number.isFinite(at) ? at : undefined;
    },
    // Only this process owns the address, so the latest write is the latest ask.
    asked: (email, at) => files.put(keyName(email), String(at)),
  };
}
