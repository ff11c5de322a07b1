/**
 * What the job summary's self-tests feed scripts/job-summary.ts: Playwright JSON reports made by
 * hand, and the script itself, run as the report job runs it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { JSONReport } from '@playwright/test/reporter';
import { ROOT, TSX } from '../../helpers/repo-paths';
import { cleanEnv } from '../../scripts/scratch-run';

/** A spec of the JSON report: its tags as the JSON reporter writes them (no "@"), one attempt per message. */
export function spec(title: string, tags: string[], status: 'expected' | 'unexpected' | 'flaky' | 'skipped', messages: string[] = []) {
  const attempts = messages.length ? messages : [''];
  const results = attempts.map((message, retry) => ({
    retry,
    status: message ? 'failed' : status === 'skipped' ? 'skipped' : 'passed',
    errors: message ? [{ message }] : [],
  }));
  if (status === 'flaky') results.push({ retry: results.length, status: 'passed', errors: [] });
  return { title, tags, tests: [{ projectName: 'logout-api', status, results }] };
}

/** The first spec at the file's top level, the others inside a describe. */
export function report(specs: unknown[], errors: Array<{ message: string }> = []): JSONReport {
  return {
    suites: [{ title: 'a.spec.ts', specs: specs.slice(0, 1), suites: [{ title: 'R · describe', specs: specs.slice(1) }] }],
    errors,
  } as unknown as JSONReport;
}

/** `npm run summary -- <args>` in this project, with none of CI's or the suite's variables but `env`. */
export const runSummary = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [TSX, 'scripts/job-summary.ts', ...args], { cwd: ROOT, env: { ...cleanEnv(), ...env }, encoding: 'utf8' });

/** What a step handed GitHub in $GITHUB_OUTPUT (`name=value` lines). */
export const githubOutputs = (file: string): Record<string, string> =>
  Object.fromEntries([...readFileSync(file, 'utf8').matchAll(/^([^=\n]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
