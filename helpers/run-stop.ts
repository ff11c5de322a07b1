/**
 * A locked account stops every login of the run, in every worker. The gateway locks an address
 * after 4 wrong OTPs: something (this run, another process, the OTP source) is handing out wrong
 * codes, and each further login could lock the next address. The first worker that meets the lock
 * fails its test with the lock's one line and writes a flag file into the run's output folder
 * (which Playwright empties at the start of every run); from then on, any login in any worker
 * throws LoginsStoppedError before it sends anything, and the fixture skips that test naming the
 * cause. The run ends red with one failure that says what to fix, not a cascade of them.
 *
 * Why not Playwright's `maxFailures: 1`? It stops at any first failure, so a run against a buggy
 * server would judge only one rule; the lock is the only failure that must stop logins.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STOP_FILE = '.transak-logins-stopped';

export class LoginsStoppedError extends Error {
  override name = 'LoginsStoppedError';
}

export function stopFile(outputDir: string): string {
  return join(outputDir, STOP_FILE);
}

/** Records why logins stop; the first reason wins. */
export function stopLogins(outputDir: string, reason: string): void {
  try {
    writeFileSync(stopFile(outputDir), reason, { flag: 'wx' });
  } catch {
    // Already stopped (another worker was first), or the folder is gone: the first reason stands.
  }
}

/** Throws LoginsStoppedError when a worker has stopped the run's logins. */
export function assertLoginsAllowed(outputDir: string): void {
  const file = stopFile(outputDir);
  if (!existsSync(file)) return;
  let reason = 'an account is locked';
  try {
    reason = readFileSync(file, 'utf8').trim() || reason;
  } catch {
    // Unreadable: the generic reason will do.
  }
  throw new LoginsStoppedError(`not run: logins were stopped for this run because ${reason}`);
}
