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

/**
 * Last line of a failure: the matcher, as Playwright's own matchers name theirs. Reporters read it
 * (JUnit files an error naming an expect() matcher as a <failure>, anything else as an <error>).
 */
const MATCHER_HINT = 'expect(violations).toHaveNoViolations(claim)';

export const expect = base.extend({
  toHaveNoViolations(violations: readonly string[], claim: string, redact: (text: string) => string = (text) => text) {
    const pass = violations.length === 0;
    return {
      name: 'toHaveNoViolations',
      pass,
      message: () =>
        `${pass ? `${claim}\n  (expected a violation, found none)` : violationMessage(claim, violations.map(redact))}\n\n${MATCHER_HINT}`,
    };
  },
});
