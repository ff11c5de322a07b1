/**
 * Runs the real logout suite (`playwright test` with the project's config) as a child process and
 * reads its verdicts from Playwright's own JSON report: the oracle of every self-test that judges
 * the suite against a server.
 */
import { rulesInRunVerdict } from '../../helpers/foreign-findings';
import { RULE_IDS, ruleOfTags, type RuleId } from '../../helpers/rules';
import type { ReportTest } from '../../scripts/json-report';
import { runPlaywrightTest, type PlaywrightTestOptions, type PlaywrightTestRun } from '../../scripts/scratch-run';

/** A test of the run; its errors cut to their first lines, for tables and messages. */
export interface TestVerdict extends ReportTest {
  /** The first line of the first error: the one line a user reads for this test. */
  message: string;
}

export interface SuiteRun extends PlaywrightTestRun {
  tests: TestVerdict[];
  /** Only the tests that did not pass (failed or timed out). */
  failed: TestVerdict[];
  /** Errors outside any test, first line each: a failed preflight (global setup) lands here. */
  globalErrors: string[];
  /** The same errors in full: the run-level verdict (helpers/foreign-findings.ts) lists its violations there. */
  globalText: string;
  /** Every rule the run turned red: a failed test's rule, or a rule its run-level verdict names. */
  redRules: RuleId[];
}

/** The one line a run that stopped at its preflight printed, without the "preflight failed" lead-in. */
export const PREFLIGHT_LEAD = 'PreflightError: preflight failed, nothing was tested: ';

/** The suite in this project; reporters besides the JSON one only when asked (no HTML or Allure writes). */
export async function runSuite({ reporters = [], ...options }: PlaywrightTestOptions = {}): Promise<SuiteRun> {
  const run = await runPlaywrightTest({ reporters, ...options });
  const tests = run.tests.map((t) => ({
    ...t,
    errors: t.errors.map((m) => m.split('\n').slice(0, 6).join(' ').trim()),
    message:
      t.errors[0]
        ?.split('\n')
        .find((line) => line.trim() !== '')
        ?.trim() ?? '',
  }));
  const globalText = run.errors.join('\n');
  const failed = tests.filter((t) => t.status === 'failed' || t.status === 'timedOut');
  const red = new Set([...failed.map((t) => ruleOfTags(t.tags)), ...rulesInRunVerdict(globalText)]);
  return {
    ...run,
    tests,
    failed,
    globalErrors: run.errors.map((m) => m.split('\n')[0]),
    globalText,
    redRules: RULE_IDS.filter((id) => red.has(id)),
  };
}
