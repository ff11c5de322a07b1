/**
 * Logins that must not be attempted again in this run, in any worker, on any retry.
 *
 * - A locked account stops every login of the run: something (this run, another process, the OTP
 *   source) hands out wrong codes, and each further login could lock the next address.
 * - A refused OTP stops every later login with that address: four wrong OTPs lock it for 24 h, so
 *   an OTP source that gives a wrong code costs at most one verify attempt per address per run.
 *
 * The worker that meets it writes a flag file into the run's output folder (which Playwright
 * empties at the start of every run, before the preflight, and keeps across retries); from then on
 * a login that it stops throws LoginsStoppedError before sending anything, and the fixture skips
 * that test naming the cause. The run ends red with the failure that says what to fix, not a
 * cascade. Why not Playwright's `maxFailures: 1`? It stops at any first failure, so a run against a
 * buggy server would judge only one rule.
 */
import { join } from 'node:path';
import { keyName, runFiles, type RunFiles } from './run-files';

const RUN = 'run';

export class LoginsStoppedError extends Error {
  override name = 'LoginsStoppedError';
}

/** The token helper's hooks for a run: refuse a stopped login before it starts, record a new stop (the first reason wins). */
export function loginGuards(outputDir: string): {
  beforeLogin: (email: string) => void;
  onStop: (scope: 'address' | 'run', email: string, reason: string) => void;
} {
  const stops: RunFiles = runFiles(join(outputDir, '.transak-logins-stopped'));
  return {
    beforeLogin(email) {
      const run = stops.get(RUN);
      if (run !== undefined)
        throw new LoginsStoppedError(`not run: logins were stopped for this run because ${run.trim() || 'an account is locked'}`);
      const address = stops.get(keyName(email));
      if (address !== undefined) {
        throw new LoginsStoppedError(
          `not run: no more logins with ${email} in this run (never retried: 4 wrong OTPs lock it for 24 h) because ${address.trim() || 'its OTP was refused'}`,
        );
      }
    },
    onStop: (scope, email, reason) => stops.putFirst(scope === 'run' ? RUN : keyName(email), reason),
  };
}
