/** What the matrix run (matrix-run.spec.ts) met per target, for the rows (kill-matrix.spec.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleId } from '../../helpers/rules';
import { test, type TestOutcome } from '../fixtures';

/** In the self-tests' output folder: written by the run, read by the rows. */
export const MATRIX_RESULTS = 'kill-matrix-results.json';

export interface TargetResult {
  tests: TestOutcome[];
  failed: TestOutcome[];
  /** The preflight's line if it stopped, and the run-level verdict (helpers/foreign-findings.ts), if any. */
  runLevel: string;
  /** Whether this target's share of the run ended red: a failed test, or a run-level verdict. */
  red: boolean;
  /** Every rule the target turned red: a failed test's rule, or one its run-level verdict names. */
  redRules: RuleId[];
}

export interface MatrixResults {
  /** Connections the noise targets' emulators reset, which the suite absorbed. */
  noiseResets: number;
  /** The staging profile's OTP requests, counted by its emulator. */
  otpNote: string;
  targets: Record<string, TargetResult>;
}

let results: MatrixResults | undefined;
const read = (): MatrixResults =>
  (results ??= JSON.parse(readFileSync(join(test.info().project.outputDir, MATRIX_RESULTS), 'utf8')) as MatrixResults);

/** What the run met against one target. */
export function matrixTarget(name: string): TargetResult {
  const found = read().targets[name];
  if (found === undefined) throw new Error(`the matrix run has no target ${name}`);
  return found;
}

export const noiseResets = (): number => read().noiseResets;
export const stagingOtpNote = (): string => read().otpNote;
