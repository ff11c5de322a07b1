/** One row of the kill matrix, attached by each matrix test and tabulated by the matrix reporter. */
export const MATRIX_ROW = 'kill-matrix-row';

/** What the matrix run hands its config: the targets, as JSON. */
export const MATRIX_TARGETS_VARIABLE = 'MATRIX_TARGETS';
/** Per target, in its output folder: the preflight's one line if it stopped, and the run-level verdict. */
export const PREFLIGHT_FILE = 'preflight-error.txt';
export const RUN_VERDICT_FILE = 'run-verdict.txt';

/** One project of the matrix run: a target and the suite's settings for it. */
export interface MatrixTarget {
  name: string;
  /** TRANSAK_* variables over the run's (the matrix run adds the target's base URL). */
  env: Record<string, string>;
  /** Only the tests whose titles match (a policy row judges one test). */
  grep?: string;
  /** Only this spec file (a file must pass on its own). */
  testMatch?: string;
  /** How many workers may run the target's tests at once; default one. */
  workers?: number;
}

export interface MatrixRow {
  mode: string;
  kind: 'bug' | 'allowed';
  rule: string;
  /** MASKED: the rule's test failed without reporting all the mode breaks; SPREAD: other rules turned red too. */
  outcome: 'caught' | 'MISSED' | 'MASKED' | 'SPREAD' | 'passed' | 'FALSE ALARM';
  /** The failed tests named for the mode's rule. */
  caughtBy: string[];
  /** Other failed tests (collateral for bug modes; false alarms for allowed ones). */
  alsoFailed: string[];
  /** Bug modes: the other rules the run turned red (a failed test or a run-level verdict); one bug should turn one rule red. */
  otherRules?: string[];
  tests: number;
}
