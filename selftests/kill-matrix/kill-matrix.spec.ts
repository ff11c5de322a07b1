/**
 * The kill matrix's rows: what the real suite met against each target of its one run
 * (matrix-run.spec.ts, a dependency of this project), judged here. A bug mode must turn its target
 * red AND fail a test tagged with the rule it breaks (a bug caught only by accident, through
 * another rule's test, does not count), AND turn no other rule red: the whole suite ran, and every
 * rule with a failed test or a run-level verdict counts. A combined mode's rule test must still
 * report its own verdict, and the run every drift the mode adds. An allowed mode, and the
 * reference server, must pass the whole suite.
 */
import type { TestInfo } from '@playwright/test';
import { MODES, type BugMode, type ModeSpec } from '../../emulator/faults';
import { RULE_IDS, ruleOfTags } from '../../helpers/rules';
import { expect, test, type TestOutcome } from '../fixtures';
import { matrixTarget, stagingOtpNote, type TargetResult } from './matrix-results';
import { MATRIX_ROW, type MatrixRow } from './matrix-row';
import { POLICIES, REFERENCE, SAME_USER_TEST, STAGING_PROFILE } from './matrix-targets';

const failures = (tests: TestOutcome[]): string[] => tests.map((t) => `${t.title}: ${t.errors[0] ?? ''}`);
/** The violation names a failed test reported, anywhere in its errors. */
const reports = (t: TestOutcome, names: readonly string[]): boolean => names.every((name) => t.errors.join('\n').includes(name));

async function attachRow(testInfo: TestInfo, row: MatrixRow): Promise<void> {
  await testInfo.attach(MATRIX_ROW, { body: JSON.stringify(row), contentType: 'application/json' });
}

function allowedRow(mode: string, run: TargetResult): MatrixRow {
  return {
    mode,
    kind: 'allowed',
    rule: '—',
    outcome: run.red ? 'FALSE ALARM' : 'passed',
    caughtBy: [],
    alsoFailed: run.failed.map((t) => t.title),
    tests: run.tests.length,
  };
}

test.describe('kill matrix', () => {
  for (const mode of MODES.filter((m) => m.kind === 'allowed')) {
    test(`spare: a server that is ${mode.name} passes the whole suite`, async ({}, testInfo) => {
      testInfo.annotations.push({ type: 'mode', description: `${mode.name}: ${mode.summary}` });
      const run = matrixTarget(mode.name);
      await attachRow(testInfo, allowedRow(mode.name, run));
      expect(failures(run.failed), `the suite failed a correct server (${mode.name})`).toEqual([]);
      expect(run.runLevel, `the run-level verdict failed a correct server (${mode.name})`).toBe('');
    });
  }

  test('spare: the reference emulator, no fault mode, passes the whole suite with nothing skipped and every rule judged', async ({}, testInfo) => {
    const run = matrixTarget(REFERENCE);
    await attachRow(testInfo, allowedRow('(none: reference)', run));
    expect(failures(run.failed)).toEqual([]);
    expect(run.runLevel).toBe('');
    expect(
      run.tests.filter((t) => t.status === 'skipped').map((t) => t.title),
      'nothing is skipped against a generated email pool',
    ).toEqual([]);
    expect(new Set(run.tests.map((t) => ruleOfTags(t.tags)).filter((rule) => rule !== undefined)), 'every rule has a test').toEqual(
      new Set(RULE_IDS),
    );
    expect(
      run.tests.filter((t) => ruleOfTags(t.tags) === undefined).map((t) => t.title),
      'every test judges a rule',
    ).toEqual([]);
  });

  test('spare: the staging profile (mailed HTML OTPs read over IMAP, a plus-address pool, the allowlist, error-codes bodies) passes the whole suite', async ({}, testInfo) => {
    const run = matrixTarget(STAGING_PROFILE);
    await attachRow(testInfo, allowedRow('(staging profile)', run));
    testInfo.annotations.push({ type: 'OTP requests', description: stagingOtpNote() });
    expect(failures(run.failed), 'the suite failed the staging profile, a correct server').toEqual([]);
    expect(run.runLevel).toBe('');
  });

  for (const mode of (MODES as readonly ModeSpec[]).filter((m): m is BugMode => m.kind === 'bug')) {
    test(`kill: the ${mode.rule} tests catch ${mode.name}, and no other rule turns red`, async ({}, testInfo) => {
      testInfo.annotations.push({ type: 'mode', description: `${mode.name}: ${mode.summary}` });
      const run = matrixTarget(mode.name);
      const byRule = run.failed.filter((t) => ruleOfTags(t.tags) === mode.rule);
      // Masking: the rule's own test still reports its verdict, and every drift the mode adds is reported somewhere.
      const everything = [...run.failed.flatMap((t) => t.errors), run.runLevel].join('\n');
      const reported =
        (mode.ownReports === undefined || byRule.some((t) => reports(t, [mode.ownReports!]))) &&
        (mode.alsoReports ?? []).every((name) => everything.includes(name));
      const collateral = run.redRules.filter((rule) => rule !== mode.rule && !(mode.alsoBreaks ?? []).includes(rule));
      const caught = byRule.length > 0 && run.red;
      await attachRow(testInfo, {
        mode: mode.name,
        kind: 'bug',
        rule: mode.rule,
        outcome: !caught ? 'MISSED' : !reported ? 'MASKED' : collateral.length ? 'SPREAD' : 'caught',
        caughtBy: byRule.map((t) => t.title),
        alsoFailed: run.failed.filter((t) => !byRule.includes(t)).map((t) => t.title),
        otherRules: collateral,
        tests: run.tests.length,
      });
      expect(
        byRule.map((t) => t.title),
        `no ${mode.rule} test failed against ${mode.name}; failures were: ${JSON.stringify(failures(run.failed))}; run-level: ${run.runLevel.slice(0, 1500)}`,
      ).not.toEqual([]);
      expect(
        reported,
        `the ${mode.rule} test did not report ${mode.ownReports}, or the run did not report ${(mode.alsoReports ?? []).join(', ')}; they said: ${JSON.stringify(byRule.map((t) => t.errors))}`,
      ).toBe(true);
      expect(
        collateral,
        `one bug, one red rule: ${mode.name} also turned these rules red: ${JSON.stringify(failures(run.failed))}; run-level: ${run.runLevel.slice(0, 1500)}`,
      ).toEqual([]);
    });
  }

  for (const { name, policy, mode, fails } of POLICIES) {
    const server = mode ? 'revokes the same user’s other sessions' : 'keeps the same user’s other sessions';

    test(`${fails ? 'kill' : 'spare'}: TRANSAK_SAME_USER_SESSIONS=${policy} against a server that ${server}`, () => {
      const run = matrixTarget(name);
      const judged = run.tests.filter((t) => t.status !== 'skipped');
      expect(judged.map((t) => t.title)).toEqual([expect.stringContaining(SAME_USER_TEST)]);
      expect(run.failed.map((t) => t.title)).toEqual(fails ? [expect.stringContaining(SAME_USER_TEST)] : []);
      if (fails) expect(run.failed[0].message).toContain(`TRANSAK_SAME_USER_SESSIONS=${policy}`);
    });
  }
});
