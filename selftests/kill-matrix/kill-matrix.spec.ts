/**
 * The kill matrix: the real suite against the emulator in every mode of its catalogue. A bug mode
 * must end the run red AND fail a test tagged with the rule it breaks (a bug caught only by
 * accident, through another rule's test, does not count), AND turn no other rule red: the whole
 * suite runs, and every rule with a failed test or a run-level verdict counts. A combined mode's
 * rule test must still report its own verdict, and the run every drift the mode adds. An allowed
 * mode, and the reference server, must pass the whole suite.
 */
import { readFileSync } from 'node:fs';
import { MODES, REVOCATION_WEARS_OFF_MS, type BugMode, type ModeSpec } from '../../emulator/faults';
import type { OtpStats } from '../../emulator/stats';
import { RULE_IDS, ruleOfTags } from '../../helpers/rules';
import { expect, test as base, type SuiteRun, type TestVerdict } from '../fixtures';
import type { EmulatorStart } from '../../scripts/emulator-process';
import { MATRIX_ROW, type MatrixRow } from './matrix-row';

/** Short enough that the same-user test does not idle; the helper schedules with the same figure. */
const COOLDOWN_MS = '1000';
/** Rule 2's latest look: the rule asks for one at least 3 s after logout, and it must outlast a revocation that wears off. */
const R2_LATE_LOOK_MS = String(Math.max(3000, REVOCATION_WEARS_OFF_MS + 1000));
/**
 * The matrix runs as many suites at once as the self-tests have workers (its lanes), and these
 * share about four suite workers. Measured on 2 cores, the full matrix: 4 lanes × 1 worker
 * 165-185 s, 2 × 2 195-275 s, 3 × 1 220 s, 4 × 2 260 s (a machine shared with other runs).
 */
const SUITE_WORKERS_AT_ONCE = 4;
/** The staging profile's run: a pool of plus-addresses, and a cooldown short enough for npm test. */
const STAGING_POOL = 12;
const STAGING_COOLDOWN_MS = '3000';

type SuiteAgainst = (server: EmulatorStart, env?: Record<string, string>, args?: string[]) => Promise<SuiteRun>;

/** `suiteAgainst({ faults })`: the real suite, run against an emulator process started so. */
const test = base.extend<{ suiteAgainst: SuiteAgainst }>({
  suiteAgainst: async ({ emulatorProcess, runSuite }, use, testInfo) => {
    const workers = Math.max(1, Math.floor(SUITE_WORKERS_AT_ONCE / testInfo.config.workers));
    await use(async (server, env = {}, args = []) => {
      const emulator = emulatorProcess({ ...server, env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS, ...server.env } });
      // --retries=0 is explicit: a retry could turn an intermittent bug into a pass.
      return runSuite({
        env: {
          TRANSAK_BASE_URL: await emulator.ready,
          TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS,
          TRANSAK_R2_LATE_LOOK_MS: R2_LATE_LOOK_MS,
          ...env,
        },
        args: ['--retries=0', `--workers=${workers}`, ...args],
      });
    });
  },
});

const seconds = (run: SuiteRun): number => Math.round(run.durationMs / 100) / 10;
const failures = (tests: TestVerdict[]): string[] => tests.map((t) => `${t.title}: ${t.errors[0] ?? ''}`);
/** The violation names a failed test reported, anywhere in its errors. */
const reports = (t: TestVerdict, names: readonly string[]): boolean => names.every((name) => t.errors.join('\n').includes(name));

test.describe('kill matrix', () => {
  test.describe.configure({ timeout: 240_000 });

  // The whole-suite runs take longest: they go first, so the lanes end together.
  for (const mode of MODES.filter((m) => m.kind === 'allowed')) {
    test(`spare: a server that is ${mode.name} passes the whole suite`, async ({ suiteAgainst }, testInfo) => {
      testInfo.annotations.push({ type: 'mode', description: `${mode.name}: ${mode.summary}` });
      const run = await suiteAgainst({ faults: [mode.name] });
      await testInfo.attach(MATRIX_ROW, { body: JSON.stringify(allowedRow(mode.name, run)), contentType: 'application/json' });
      expect(failures(run.failed), `the suite failed a correct server (${mode.name})`).toEqual([]);
      expect(run.exitCode).toBe(0);
    });
  }

  test('spare: the reference emulator, no fault mode, passes the whole suite with nothing skipped and every rule judged', async ({
    suiteAgainst,
  }, testInfo) => {
    const run = await suiteAgainst({});
    await testInfo.attach(MATRIX_ROW, { body: JSON.stringify(allowedRow('(none: reference)', run)), contentType: 'application/json' });
    expect(failures(run.failed)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(
      run.tests.filter((t) => t.status === 'skipped').map((t) => t.title),
      'nothing is skipped against a generated email pool',
    ).toEqual([]);
    expect(new Set(run.tests.map((t) => ruleOfTags(t.tags)).filter((rule) => rule !== undefined)), 'every rule has a test').toEqual(
      new Set(RULE_IDS),
    );
    // Besides the rules' tests, at most the preflight (a test until it becomes the run's globalSetup).
    expect(run.tests.filter((t) => ruleOfTags(t.tags) === undefined && t.project !== 'preflight').map((t) => t.title)).toEqual([]);
  });

  test('spare: the staging profile (mailed HTML OTPs read over IMAP, a plus-address pool, the allowlist, error-codes bodies) passes the whole suite', async ({
    suiteAgainst,
    mailbox,
  }, testInfo) => {
    const stats = testInfo.outputPath('otp-stats.json');
    const pool = Array.from({ length: STAGING_POOL }, (_, i) => `qa+${i + 1}@example.test`);
    const run = await suiteAgainst(
      {
        args: ['--profile=staging'],
        env: {
          EMULATOR_MAILDIR: mailbox.maildir,
          EMULATOR_ALLOWLIST: '127.0.0.1,::1',
          EMULATOR_OTP_COOLDOWN_MS: STAGING_COOLDOWN_MS,
          EMULATOR_STATS_FILE: stats,
        },
      },
      { TRANSAK_OTP_IMAP_URL: mailbox.url, TRANSAK_EMAILS: pool.join(','), TRANSAK_OTP_COOLDOWN_MS: STAGING_COOLDOWN_MS },
    );
    await testInfo.attach(MATRIX_ROW, { body: JSON.stringify(allowedRow('(staging profile)', run)), contentType: 'application/json' });
    const sent = Object.values((JSON.parse(readFileSync(stats, 'utf8')) as OtpStats)['send-user-otp']);
    const tooSoon = sent.reduce((n, address) => n + (address.errorCodes['1019'] ?? 0), 0);
    testInfo.annotations.push({
      type: 'OTP requests',
      description: `${sent.reduce((n, a) => n + a.calls, 0)} Send User OTP calls over ${pool.length} addresses, ${tooSoon} answered 1019 (too soon)`,
    });
    expect(failures(run.failed), 'the suite failed the staging profile, a correct server').toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  for (const mode of (MODES as readonly ModeSpec[]).filter((m): m is BugMode => m.kind === 'bug')) {
    test(`kill: the ${mode.rule} tests catch ${mode.name}, and no other rule turns red`, async ({ suiteAgainst }, testInfo) => {
      testInfo.annotations.push({ type: 'mode', description: `${mode.name}: ${mode.summary}` });
      // The whole suite, so every rule the bug turns red is seen (a failed test, or a run-level verdict).
      const run = await suiteAgainst({ faults: [mode.name] });
      const byRule = run.failed.filter((t) => ruleOfTags(t.tags) === mode.rule);
      // Masking: the rule's own test still reports its verdict, and every drift the mode adds is reported somewhere.
      const everything = [...run.failed.flatMap((t) => t.errors), run.globalText].join('\n');
      const reported =
        (mode.ownReports === undefined || byRule.some((t) => reports(t, [mode.ownReports!]))) &&
        (mode.alsoReports ?? []).every((name) => everything.includes(name));
      const collateral = run.redRules.filter((rule) => rule !== mode.rule && !(mode.alsoBreaks ?? []).includes(rule));
      const caught = byRule.length > 0 && run.exitCode !== 0;
      const row: MatrixRow = {
        mode: mode.name,
        kind: 'bug',
        rule: mode.rule,
        verdict: !caught ? 'MISSED' : !reported ? 'MASKED' : collateral.length ? 'SPREAD' : 'caught',
        caughtBy: byRule.map((t) => t.title),
        alsoFailed: run.failed.filter((t) => !byRule.includes(t)).map((t) => t.title),
        otherRules: collateral,
        tests: run.tests.length,
        seconds: seconds(run),
      };
      await testInfo.attach(MATRIX_ROW, { body: JSON.stringify(row), contentType: 'application/json' });
      expect(run.exitCode, `the run against ${mode.name} must end red`).not.toBe(0);
      expect(
        byRule.map((t) => t.title),
        `no ${mode.rule} test failed against ${mode.name}; failures were: ${JSON.stringify(failures(run.failed))}; run-level: ${run.globalText.slice(0, 1500)}`,
      ).not.toEqual([]);
      expect(
        reported,
        `the ${mode.rule} test did not report ${mode.ownReports}, or the run did not report ${(mode.alsoReports ?? []).join(', ')}; they said: ${JSON.stringify(byRule.map((t) => t.errors))}`,
      ).toBe(true);
      expect(
        collateral,
        `one bug, one red rule: ${mode.name} also turned these rules red: ${JSON.stringify(failures(run.failed))}; run-level: ${run.globalText.slice(0, 1500)}`,
      ).toEqual([]);
    });
  }

  // Rule 6's same-user case is asserted only when configured: each policy must fail the other one.
  const POLICIES: Array<{ policy: 'survive' | 'revoked'; mode?: string; fails: boolean }> = [
    { policy: 'survive', mode: 'same-user-sessions-revoked', fails: true },
    { policy: 'revoked', fails: true },
    { policy: 'survive', fails: false },
    { policy: 'revoked', mode: 'same-user-sessions-revoked', fails: false },
  ];
  for (const { policy, mode, fails } of POLICIES) {
    const server = mode ? 'revokes the same user’s other sessions' : 'keeps the same user’s other sessions';

    test(`${fails ? 'kill' : 'spare'}: TRANSAK_SAME_USER_SESSIONS=${policy} against a server that ${server}`, async ({ suiteAgainst }) => {
      const run = await suiteAgainst({ faults: mode ? [mode] : [] }, { TRANSAK_SAME_USER_SESSIONS: policy }, [
        '--grep',
        "same user's other session",
      ]);
      const judged = run.tests.filter((t) => t.status !== 'skipped' && t.project !== 'preflight');
      expect(judged.map((t) => t.title)).toEqual([expect.stringMatching(/^the same user's other session/)]);
      expect(run.failed.map((t) => t.title)).toEqual(fails ? [expect.stringMatching(/^the same user's other session/)] : []);
      if (fails) expect(run.failed[0].message).toContain(`TRANSAK_SAME_USER_SESSIONS=${policy}`);
    });
  }
});

function allowedRow(mode: string, run: SuiteRun): MatrixRow {
  return {
    mode,
    kind: 'allowed',
    rule: '—',
    verdict: run.failed.length === 0 && run.exitCode === 0 ? 'passed' : 'FALSE ALARM',
    caughtBy: [],
    alsoFailed: run.failed.map((t) => t.title),
    tests: run.tests.length,
    seconds: seconds(run),
  };
}
