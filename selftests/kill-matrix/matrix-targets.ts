/**
 * Every target of the kill matrix, in one list: the reference emulator, each fault mode, the
 * staging profile, and the same-user policy settings. The run (matrix-run.spec.ts) serves them
 * and runs the suite against all at once; the rows (kill-matrix.spec.ts) judge each.
 */
import { readdirSync } from 'node:fs';
import { MODES } from '../../emulator/faults';
import { ROOT } from '../../helpers/repo-paths';
import { DEFAULT_LOGOUT_SLO_MS } from '../../helpers/rules';
import type { RunningDovecot } from '../../scripts/dovecot';
import type { MatrixTarget } from './matrix-row';

export const REFERENCE = 'reference';
export const STAGING_PROFILE = 'staging-profile';
/** Most of a worker's time is waiting (rule 2's looks, OTP cooldowns): on 2 cores npm test took 267 s with 8, 249 s with 12 or 16. */
export const MATRIX_WORKERS = 12;
/** The staging profile's plus-addresses: two per process the pool is split into, so a target in any worker can log in two users. */
const STAGING_POOL = 2 * MATRIX_WORKERS;
const STAGING_COOLDOWN_MS = '3000';

/** Rule 6's same-user case is asserted only when configured: each policy must fail the other one. */
export const POLICIES: ReadonlyArray<{ name: string; policy: 'survive' | 'revoked'; mode?: string; fails: boolean }> = [
  { policy: 'survive' as const, mode: 'same-user-sessions-revoked', fails: true },
  { policy: 'revoked' as const, fails: true },
  { policy: 'survive' as const, fails: false },
  { policy: 'revoked' as const, mode: 'same-user-sessions-revoked', fails: false },
].map((p) => ({ ...p, name: `policy-${p.policy}-${p.mode ?? 'reference'}` }));
export const SAME_USER_TEST = "same user's other session";

/** Each spec file, alone against the reference: no test leans on another file's token or state. */
export const SPEC_FILES = readdirSync(`${ROOT}/tests`)
  .filter((name) => name.endsWith('.spec.ts'))
  .sort();
export const aloneTarget = (file: string): string => `alone-${file.replace(/\.spec\.ts$/, '')}`;

/** Verdicts must not depend on scheduling: these run again with four workers, to match their one-worker targets. */
export const FOUR_WORKER_MODES = [REFERENCE, 'refresh-ignores-revocation', 'get-logs-out', 'logout-revokes-all-users'] as const;
export const fourWorkerTarget = (mode: string): string => `${mode}-4-workers`;

/** The reference under network noise (random latency, connection resets before any handler), twice. */
export const NOISE_TARGETS = ['noise-1', 'noise-2'];

/**
 * The targets two to three times as long as a usual one's 23 s (429s waited out, slow logouts, mailed
 * OTPs, noise), longest first: the run starts projects in order, so their waits overlap the rest
 * instead of trailing it (with the noise targets last, a matrix run took 196 s on 2 cores).
 */
const LONGEST_FIRST = [
  'rate-limited-429-no-retry-after',
  'rate-limited-429-retry-after',
  'slow-logout',
  STAGING_PROFILE,
  ...NOISE_TARGETS,
  'concurrent-logouts-all-refused',
];

export interface MatrixEntry extends MatrixTarget {
  /** The emulator: EMULATOR_* variables and server.ts arguments (--faults=… among them), as a user would start it. */
  server: { env?: Record<string, string>; args: string[] };
}

/** The server of a fault mode, or of the reference. */
const serving = (mode?: string) => ({ args: mode === undefined || mode === REFERENCE ? [] : [`--faults=${mode}`] });

export function matrixEntries(mailbox: Pick<RunningDovecot, 'maildir' | 'url'>, statsFile: string): MatrixEntry[] {
  const pool = Array.from({ length: STAGING_POOL }, (_, i) => `qa+${i + 1}@example.test`);
  const entries: MatrixEntry[] = [
    { name: REFERENCE, server: serving(), env: {} },
    // The run's suites have an objective no busy machine misses (UNTIMED_LOGOUT_SLO); a rule-8 bug is judged by the suite's default.
    ...MODES.map((mode): MatrixEntry => ({
      name: mode.name,
      server: serving(mode.name),
      env: mode.kind === 'bug' && mode.rule === 'R8' ? { LOGOUT_SLO_MS: String(DEFAULT_LOGOUT_SLO_MS) } : {},
    })),
    {
      name: STAGING_PROFILE,
      server: {
        args: ['--profile=staging'],
        env: {
          EMULATOR_MAILDIR: mailbox.maildir,
          EMULATOR_ALLOWLIST: '127.0.0.1,::1',
          EMULATOR_OTP_COOLDOWN_MS: STAGING_COOLDOWN_MS,
          EMULATOR_STATS_FILE: statsFile,
        },
      },
      env: { TRANSAK_OTP_IMAP_URL: mailbox.url, TRANSAK_EMAILS: pool.join(','), TRANSAK_OTP_COOLDOWN_MS: STAGING_COOLDOWN_MS },
    },
    ...POLICIES.map(({ name, policy, mode }) => ({
      name,
      server: serving(mode),
      env: { TRANSAK_SAME_USER_SESSIONS: policy },
      grep: SAME_USER_TEST,
    })),
    ...SPEC_FILES.map((file) => ({ name: aloneTarget(file), server: serving(), env: {}, testMatch: file })),
    ...FOUR_WORKER_MODES.map((mode) => ({ name: fourWorkerTarget(mode), server: serving(mode), env: {}, workers: 4 })),
    ...NOISE_TARGETS.map((name) => ({ name, server: { args: [], env: { EMULATOR_NOISE: '1' } }, env: {} })),
  ];
  const unknown = LONGEST_FIRST.filter((name) => !entries.some((entry) => entry.name === name));
  if (unknown.length) throw new Error(`LONGEST_FIRST names no target: ${unknown.join(', ')}`);
  const rank = ({ name }: MatrixEntry): number => (LONGEST_FIRST.includes(name) ? LONGEST_FIRST.indexOf(name) : LONGEST_FIRST.length);
  return entries.sort((a, b) => rank(a) - rank(b));
}
