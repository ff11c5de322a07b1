/**
 * The kill matrix: the real suite against the emulator in every mode of its catalogue. A bug mode
 * must fail the run AND fail a test named for the rule it breaks (a bug caught only by accident,
 * through another rule's test, does not count). An allowed mode must pass every test.
 */
import { expect, test } from '@playwright/test';
import { MODES, type ModeSpec } from '../../emulator/faults';
import { ruleOfTags } from '../../helpers/rules';
import { startEmulator } from '../support/emulator-process';
import { runSuite } from '../support/suite-run';
import { MATRIX_ROW, type MatrixRow } from './matrix-row';

/** Short enough that the same-user test does not idle; the helper schedules with the same figure. */
const COOLDOWN_MS = '1000';

async function runAgainst(mode: ModeSpec | string | undefined, env: Record<string, string> = {}, args: string[] = []) {
  const name = typeof mode === 'string' ? mode : mode?.name;
  const emulator = await startEmulator({ faults: name ? [name] : [], env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS } });
  try {
    // --retries=0 is explicit: a retry could turn an intermittent bug into a pass.
    return await runSuite({ env: { TRANSAK_BASE_URL: emulator.url, TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS, ...env }, args: ['--retries=0', '--workers=4', ...args] });
  } finally {
    await emulator.stop();
  }
}

test.describe('kill matrix', () => {
  test.describe.configure({ timeout: 240_000 });

  for (const mode of MODES) {
    const claim = mode.kind === 'bug' ? `the ${mode.rule} tests catch ${mode.name}` : `a server that is ${mode.name} passes the whole suite`;
    test(`${mode.kind === 'bug' ? 'kill' : 'spare'}: ${claim}`, async ({}, testInfo) => {
      testInfo.annotations.push({ type: 'mode', description: `${mode.name}: ${mode.summary}` });
      const run = await runAgainst(mode);
      const byRule = run.failed.filter((t) => mode.rule !== undefined && ruleOfTags(t.tags) === mode.rule);
      const row: MatrixRow = {
        mode: mode.name,
        kind: mode.kind,
        rule: mode.rule ?? '—',
        verdict: mode.kind === 'bug' ? (byRule.length > 0 && run.exitCode !== 0 ? 'caught' : 'MISSED') : run.failed.length === 0 && run.exitCode === 0 ? 'passed' : 'FALSE ALARM',
        caughtBy: byRule.map((t) => t.title),
        alsoFailed: run.failed.filter((t) => !byRule.includes(t)).map((t) => t.title),
        tests: run.tests.length,
        seconds: Math.round(run.durationMs / 100) / 10,
      };
      await testInfo.attach(MATRIX_ROW, { body: JSON.stringify(row), contentType: 'application/json' });
      expect(run.tests.length, `the suite ran no tests against ${mode.name}:\n${run.output.slice(-2000)}`).toBeGreaterThan(20);
      if (mode.kind === 'bug') {
        expect(run.exitCode, `the run against ${mode.name} must end red`).not.toBe(0);
        expect(byRule.map((t) => t.title), `no ${mode.rule} test failed against ${mode.name}; failures were: ${JSON.stringify(run.failed.map((t) => t.title))}`).not.toEqual([]);
      } else {
        expect(run.failed.map((t) => `${t.title}: ${t.errors[0] ?? ''}`), `the suite failed a correct server (${mode.name})`).toEqual([]);
        expect(run.exitCode).toBe(0);
      }
    });
  }

  test('spare: the reference emulator, no fault mode, passes the whole suite with nothing skipped', async ({}, testInfo) => {
    const run = await runAgainst(undefined);
    const row: MatrixRow = {
      mode: '(none: reference)',
      kind: 'allowed',
      rule: '—',
      verdict: run.failed.length === 0 && run.exitCode === 0 ? 'passed' : 'FALSE ALARM',
      caughtBy: [],
      alsoFailed: run.failed.map((t) => t.title),
      tests: run.tests.length,
      seconds: Math.round(run.durationMs / 100) / 10,
    };
    await testInfo.attach(MATRIX_ROW, { body: JSON.stringify(row), contentType: 'application/json' });
    expect(run.failed.map((t) => `${t.title}: ${t.errors[0] ?? ''}`)).toEqual([]);
    expect(run.tests.filter((t) => t.status === 'skipped').map((t) => t.title), 'nothing is skipped against a generated email pool').toEqual([]);
    // Every rule has at least one test, so every rule is judged.
    expect(new Set(run.tests.map((t) => ruleOfTags(t.tags) ?? t.project))).toEqual(new Set(['preflight', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8']));
  });

  // Rule 6's same-user case is asserted only when configured: each policy must fail the other one.
  const POLICIES: Array<{ policy: 'survive' | 'revoked'; mode?: string; fails: boolean }> = [
    { policy: 'survive', mode: 'same-user-sessions-revoked', fails: true },
    { policy: 'revoked', fails: true },
    { policy: 'survive', fails: false },
    { policy: 'revoked', mode: 'same-user-sessions-revoked', fails: false },
  ];
  for (const { policy, mode, fails } of POLICIES) {
    const server = mode ? 'revokes the same user’s other sessions' : 'keeps the same user’s other sessions';
    test(`${fails ? 'kill' : 'spare'}: TRANSAK_SAME_USER_SESSIONS=${policy} against a server that ${server}`, async () => {
      const run = await runAgainst(mode, { TRANSAK_SAME_USER_SESSIONS: policy }, ['--grep', "same user's other session"]);
      expect(run.tests.filter((t) => t.status !== 'skipped').map((t) => t.title)).toEqual([expect.stringMatching(/^preflight:/), expect.stringMatching(/^the same user's other session/)]);
      expect(run.failed.map((t) => t.title)).toEqual(fails ? [expect.stringMatching(/^the same user's other session/)] : []);
      if (fails) expect(run.failed[0].message).toContain(`TRANSAK_SAME_USER_SESSIONS=${policy}`);
    });
  }

  test('the catalogue has at least one bug mode per verdict rule and at least 20 in all', () => {
    const bugs = MODES.filter((m) => m.kind === 'bug');
    expect(new Set(bugs.map((m) => m.rule))).toEqual(new Set(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8']));
    expect(bugs.length).toBeGreaterThanOrEqual(20);
    expect(MODES.filter((m) => m.kind === 'allowed').length).toBeGreaterThanOrEqual(5);
  });
});
