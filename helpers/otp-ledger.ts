/**
 * When each address last asked for an OTP in this run, kept on disk in the run's output folder.
 * Playwright starts a new worker process for each project it moves to, and after a failure, with
 * the same share of the pool: the new process reads the ledger, so it never asks an address again
 * inside the cooldown its predecessor (or the preflight) started. Playwright empties the folder at
 * the start of every run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OtpLedger {
  /** When the address last asked (ms since the epoch), if it did in this run. */
  lastAsked(email: string): number | undefined;
  asked(email: string, at: number): void;
}

export function openOtpLedger(outputDir: string): OtpLedger {
  const dir = join(outputDir, '.transak-otp-ledger');
  const file = (email: string): string => join(dir, createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 16));
  return {
    lastAsked(email) {
      try {
        const at = Number(readFileSync(file(email), 'utf8'));
        return Number.isFinite(at) ? at : undefined;
      } catch {
        return undefined;
      }
    },
    asked(email, at) {
      mkdirSync(dir, { recursive: true });
      // Only this process owns the address, so the latest write is the latest ask.
      writeFileSync(file(email), String(at));
    },
  };
}
