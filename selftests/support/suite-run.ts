/**
 * Runs the real logout suite (`playwright test` with the project's config) as a child process and
 * reads its verdicts from Playwright's own JSON report: the oracle of every self-test that judges
 * the suite against a server.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rulesInRunVerdict } from '../../helpers/foreign-findings';
import { RULE_IDS, ruleOfTags, type RuleId } from '../../helpers/rules';
import { PLAYWRIGHT_CLI, ROOT } from '../../helpers/repo-paths';
import { readReport, runErrors, testsOf, type ReportTest } from '../../scripts/json-report';

/** A test of the run; its errors cut to their first lines, for tables and messages. */
export interface TestVerdict extends ReportTest {
  /** The first line of the first error: the one line a user reads for this test. */
  message: string;
}

export interface SuiteRun {
  exitCode: number | null;
  output: string;
  tests: TestVerdict[];
  /** Only the tests that did not pass (failed or timed out). */
  failed: TestVerdict[];
  /** Errors outside any test, first line each: a failed preflight (global setup) lands here. */
  globalErrors: string[];
  /** The same errors in full: the run-level verdict (helpers/foreign-findings.ts) lists its violations there. */
  globalText: string;
  /** Every rule the run turned red: a failed test's rule, or a rule its run-level verdict names. */
  redRules: RuleId[];
  durationMs: number;
}

export interface SuiteRunOptions {
  /** Environment on top of a clean one (no TRANSAK_* from the caller's shell or .env). */
  env?: Record<string, string>;
  /** Extra playwright arguments, e.g. ['--repeat-each=20', '--grep', 'R2']. */
  args?: string[];
  /** Reporters besides the JSON one this helper reads; default none (no HTML or Allure writes). */
  reporters?: string[];
  timeoutMs?: number;
}

/** The one line a run that stopped at its preflight printed, without the "preflight failed" lead-in. */
export const PREFLIGHT_LEAD = 'PreflightError: preflight failed, nothing was tested: ';

/** The caller's TRANSAK_* / LOGOUT_* variables never leak into a self-test's run. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(TRANSAK_|LOGOUT_|EMULATOR_|PLAYWRIGHT_|TEST_)/.test(key) && key !== 'CI'),
  );
}

export async function runSuite({ env = {}, args = [], reporters = [], timeoutMs = 240_000 }: SuiteRunOptions = {}): Promise<SuiteRun> {
  const dir = mkdtempSync(join(tmpdir(), 'suite-run-'));
  const jsonFile = join(dir, 'results.json');
  const reporter = ['json', ...reporters].join(',');
  const argv = [PLAYWRIGHT_CLI, 'test', `--reporter=${reporter}`, `--output=${join(dir, 'test-results')}`, ...args];
  const started = Date.now();
  try {
    const child = spawn(process.execPath, argv, {
      cwd: ROOT,
      // TRANSAK_ENV_FILE keeps a developer's .env out of self-test runs.
      env: { ...cleanEnv(), PLAYWRIGHT_JSON_OUTPUT_FILE: jsonFile, TRANSAK_ENV_FILE: join(dir, 'no.env'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exitCode = await new Promise<number | null>((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        done(code);
      });
    });
    const report = readReport(jsonFile);
    const tests = (report ? testsOf(report) : []).map((t) => ({
      ...t,
      errors: t.errors.map((m) => m.split('\n').slice(0, 6).join(' ').trim()),
      message:
        t.errors[0]
          ?.split('\n')
          .find((line) => line.trim() !== '')
          ?.trim() ?? '',
    }));
    const messages = report ? runErrors(report) : [];
    const globalText = messages.join('\n');
    const failed = tests.filter((t) => t.status === 'failed' || t.status === 'timedOut');
    const red = new Set([...failed.map((t) => ruleOfTags(t.tags)), ...rulesInRunVerdict(globalText)]);
    return {
      exitCode,
      output,
      tests,
      failed,
      globalErrors: messages.map((m) => m.split('\n')[0]),
      globalText,
      redRules: RULE_IDS.filter((id) => red.has(id)),
      durationMs: Date.now() - started,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
