/** One row of the kill matrix, attached by each matrix test and tabulated by the matrix reporter. */
export const MATRIX_ROW = 'kill-matrix-row';

export interface MatrixRow {
  mode: string;
  kind: 'bug' | 'allowed';
  rule: string;
  /**
   * bug: caught | MISSED, MASKED when the rule's test failed without reporting everything the mode
   * breaks (a drift met first hid the verdict), or SPREAD when other rules turned red too; allowed:
   * passed | FALSE ALARM.
   */
  verdict: 'caught' | 'MISSED' | 'MASKED' | 'SPREAD' | 'passed' | 'FALSE ALARM';
  /** The failed tests named for the mode's rule. */
  caughtBy: string[];
  /** Other failed tests (collateral for bug modes; false alarms for allowed ones). */
  alsoFailed: string[];
  /** Bug modes: the other rules the run turned red (a failed test or a run-level verdict); one bug should turn one rule red. */
  otherRules?: string[];
  tests: number;
  seconds: number;
}
