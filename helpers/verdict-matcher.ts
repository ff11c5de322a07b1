/**
 * `expect(violations).toHaveNoViolations(claim, redact)`: the one assertion behind every verdict.
 * A failure reads as the claim, then each violation on its own line, redacted: what a QA reader
 * needs, with no diff of arrays to decode.
 */
import { expect as base } from '@playwright/test';

/** The failure message: the claim on the first line, then `  - <violation>` per line. */
export function violationMessage(claim: string, violations: readonly string[]): string {
  return [claim, ...violations.map((v) => `  - ${v}`)].join('\n');
}

export const expect = base.extend({
  toHaveNoViolations(violations: readonly string[], claim: string, redact: (text: string) => string = (text) => text) {
    const pass = violations.length === 0;
    return {
      name: 'toHaveNoViolations',
      pass,
      message: () => (pass ? `${claim}\n  (expected a violation, found none)` : violationMessage(claim, violations.map(redact))),
    };
  },
});
