/**
 * The kill matrix's rows, judged from what the suite met against each target of its one run
 * (matrix-run.spec.ts). A bug mode must turn its target red, fail a test tagged with its own rule (a
 * bug caught only through another rule's test does not count) and turn no other rule red; a combined
 * mode's rule test must still report its verdict. An allowed mode, and the reference, pass everything.
 */
import type { TestInfo } from '@playwright/test';
import { MODES, type BugMode, type ModeSpec } from '../../emulator/faults';
import { RULE_IDS, ruleOfTags } from '../../helpers/rules';
import { expect, test, type TestOutcome } from '../fixtures';
import { matrixTarget, stagingOtpNote, type TargetResult } from './matrix-results';
import { MATRIX_ROW, type MatrixRow } from './matrix-row';
import { POLICIES, REFERENCE, SAME_USER_TEST, STAGING_PROFILE } from './matrix-targets';

const failures = (tests: TestOutcome[]): string[] => tests.map((t) => `${t.title}: ${t.errors[0] ?? ''}`);

async function attachRow(testInfo: TestInfo, row: MatrixRow): Promise<void> {
  await testInfo.attach(MATRIX_ROW, { body: JSON.stringify(row), contentType: 'application/json' });
}

/** A correct server's row; it fails if the suite or its run-level verdict failed the server. */
async function expectSpared(testInfo: TestInfo, mode: string, run: TargetResult): Promise<void> {
  const outcome = run.red ? 'FALSE ALARM' : 'passed';
  await attachRow(testInfo, {
    mode,
    kind: 'allowed',
    rule: '—',
    outcome,
    caughtBy: [],
    alsoFailed: run.failed.map((t) => t.title),
    tests: run.tests.length,
  });
  expect(failures(run.failed), `the suite failed a correct server (${mode})`).toEqual([]);
  expect(run.runLevel, `the run-level verdict failed a correct server (${mode})`).toBe('');
}

test.describe('kill matrix', () => {
  for (const mode of MODES.filter((m) => m.kind === 'allowed')) {
    test(`spare: a server that is ${mode.name} passes the whole suite`, async ({}, testInfo) => {
      testInfo.annotations.push({ type: 'mode', description: `${mode.name}: ${mode.summary}` });
      await expectSpared(testInfo, mode.name, matrixTarget(mode.name));
    });
  }

  test('spare: the reference emulator, no fault mode, passes the whole suite with nothing skipped and every rule judged', async ({}, testInfo) => {
    const run = matrixTarget(REFERENCE);
    await expectSpared(testInfo, '(none: reference)', run);
    expect(
      run.tests.filter((t) => t.status === 'skipped').map((t) => t.title),
      'nothing is skipped against a generated email pool',
    ).toEqual([]);
    const rules = run.tests.map((t) => ruleOfTags(t.tags));
    expect(new Set(rules.filter((rule) => rule !== undefined)), 'every rule has a test').toEqual(new Set(RULE_IDS));
    expect(
      run.tests.filter((_, i) => rules[i] === undefined).map((t) => t.title),
      'every test judges a rule',
    ).toEqual([]);
  });

  test('spare: the staging profile (mailed HTML OTPs read over IMAP, a plus-address pool, the allowlist, error-codes bodies) passes the whole suite', async ({}, testInfo) => {
    testInfo.annotations.push({ type: 'OTP requests', description: stagingOtpNote() });
    await expectSpared(testInfo, '(staging profile)', matrixTarget(STAGING_PROFILE));
  });

  for (const mode of (MODES as readonly ModeSpec[]).filter((m): m is BugMode => m.kind === 'bug')) {
    test(`kill: the ${mode.rule} tests catch ${mode.name}, and no other rule turns red`, async ({}, testInfo) => {
      testInfo.annotations.push({ type: 'mode', description: `${mode.name}: ${mode.summary}` });
      const run = matrixTarget(mode.name);
      const byRule = run.failed.filter((t) => ruleOfTags(t.tags) === mode.rule);
      // Masking: the rule's own test still reports its verdict, and every drift the mode adds is reported somewhere.
      const everything = [...run.failed.flatMap((t) => t.errors), run.runLevel].join('\n');
      const reported =
        (mode.ownReports === undefined || byRule.some((t) => t.errors.join('\n').includes(mode.ownReports!))) &&
        (mode.alsoReports ?? []).every((name) => everything.includes(name));
      const collateral = run.redRules.filter((rule) => rule !== mode.rule && !mode.alsoBreaks.includes(rule));
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
