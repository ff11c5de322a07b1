/** What the matrix run (matrix-run.spec.ts) met per target, for the rows (kill-matrix.spec.ts). */
import type { RuleId } from '../../helpers/rules';
import type { TestVerdict } from '../fixtures';

/** In the self-tests' output folder: written by the run, read by the rows. */
export const MATRIX_RESULTS = 'kill-matrix-results.json';

export interface TargetResult {
  tests: TestVerdict[];
  /** The tests that failed or timed out. */
  failed: TestVerdict[];
  /** The preflight's line if it stopped, and the run-level verdict (helpers/foreign-findings.ts), if any. */
  runLevel: string;
  /** Whether this target's share of the run ended red: a failed test, or a run-level verdict. */
  red: boolean;
  /** Every rule the target turned red: a failed test's rule, or one its run-level verdict names. */
  redRules: RuleId[];
}

export interface MatrixResults {
  durationMs: number;
  /** The staging profile's OTP requests, counted by its emulator. */
  otpNote: string;
  targets: Record<string, TargetResult>;
}
