/**
 * The kill matrix's one run: every target of matrix-targets.ts served by an in-process emulator (the
 * app server.ts would start), the real suite run once against all of them (matrix.config.ts), and what
 * each target met written for the rows (kill-matrix.spec.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp, noiseStatsOf } from '../../emulator/app';
import { REVOCATION_WEARS_OFF_MS } from '../../emulator/faults';
import { optionsFromEnv } from '../../emulator/options';
import { rulesInRunVerdict } from '../../helpers/foreign-findings';
import { RULE_IDS, ruleOfTags } from '../../helpers/rules';
import { expect, failedOf, test } from '../fixtures';
import { readOtpStats, refusals, sum } from '../staging/support';
import { served } from '../support/emulator-client';
import { MATRIX_TARGETS_VARIABLE, PREFLIGHT_FILE, RUN_VERDICT_FILE, type MatrixTarget } from './matrix-row';
import { MATRIX_WORKERS, matrixEntries, REFERENCE } from './matrix-targets';
import { MATRIX_RESULTS, type MatrixResults } from './matrix-results';

/** Short enough that the same-user test does not idle; the suite schedules with the same figure. */
const COOLDOWN_MS = '1000';
/** Rule 2's latest look: the rule asks for one at least 3 s after logout, and it must outlast a revocation that wears off. */
const R2_LATE_LOOK_MS = String(Math.max(3000, REVOCATION_WEARS_OFF_MS + 1000));

test('the real suite runs once against every target of the kill matrix', async ({ mailbox, runSuite }, testInfo) => {
  // About 3 min on a quiet 2-core machine, several times that at load 20: the bounds catch a hang, not a busy machine.
  test.setTimeout(1_080_000);
  const statsFile = testInfo.outputPath('otp-stats.json');
  const entries = matrixEntries(mailbox, statsFile);
  const apps = entries.map(({ server }) => buildApp(optionsFromEnv({ EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS, ...server.env }, server.args)));
  try {
    const urls = await Promise.all(apps.map((app) => served({ app })));
    const targets: MatrixTarget[] = entries.map((entry, i) => ({ ...entry, env: { TRANSAK_BASE_URL: urls[i], ...entry.env } }));
    const outputDir = testInfo.outputPath('targets');
    const run = await runSuite({
      env: {
        [MATRIX_TARGETS_VARIABLE]: JSON.stringify(targets),
        MATRIX_OUTPUT_DIR: outputDir,
        // The suite's config starts no emulator of its own when a base URL is set.
        TRANSAK_BASE_URL: urls[entries.findIndex((e) => e.name === REFERENCE)],
        TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS,
        TRANSAK_R2_LATE_LOOK_MS: R2_LATE_LOOK_MS,
      },
      // --retries=0 is explicit: a retry could turn an intermittent bug into a pass.
      args: ['-c', 'selftests/kill-matrix/matrix.config.ts', '--retries=0', `--workers=${MATRIX_WORKERS}`],
      output: false,
      timeoutMs: 960_000,
    });
    const read = (name: string, file: string): string => {
      const path = join(outputDir, name, file);
      return existsSync(path) ? readFileSync(path, 'utf8') : '';
    };
    const sent = Object.values(readOtpStats(statsFile)['send-user-otp']);
    const results: MatrixResults = {
      noiseResets: apps.reduce((n, app) => n + (noiseStatsOf(app)?.resets ?? 0), 0),
      otpNote: `${sum(sent.map((a) => a.calls))} Send User OTP calls, ${sum(sent.map((a) => refusals(a, '1019')))} answered 1019 (too soon)`,
      targets: Object.fromEntries(
        entries.map(({ name }) => {
          const tests = run.tests.filter((t) => t.project === name);
          const runLevel = [read(name, PREFLIGHT_FILE), read(name, RUN_VERDICT_FILE)].filter(Boolean).join('\n');
          const failed = failedOf(tests);
          const red = new Set([...failed.map((t) => ruleOfTags(t.tags)), ...rulesInRunVerdict(runLevel)]);
          return [
            name,
            { tests, failed, runLevel, red: failed.length > 0 || runLevel !== '', redRules: RULE_IDS.filter((id) => red.has(id)) },
          ];
        }),
      ),
    };
    writeFileSync(join(testInfo.project.outputDir, MATRIX_RESULTS), JSON.stringify(results));
    testInfo.annotations.push({
      type: 'matrix run',
      description: `${entries.length} targets, ${run.tests.length} tests, ${Math.round(run.durationMs / 1000)} s`,
    });
    expect(run.globalErrors, 'the matrix run itself must not fail outside its tests').toEqual([]);
    expect(run.tests.length, `the matrix run judged nothing:\n${run.output.slice(-2000)}`).toBeGreaterThan(0);
    expect(
      entries.filter(({ name }) => !run.tests.some((t) => t.project === name)).map((e) => e.name),
      'targets with no test',
    ).toEqual([]);
  } finally {
    await Promise.all(apps.map((app) => app.close()));
  }
});
