/**
 * `npm run test:api [-- <playwright test arguments>]`: the main job. It clears allure-results/
 * (stale results would show as retries), runs `playwright test` with every argument passed on,
 * records the behaviour fingerprint, masks test addresses (secrets that error messages name) in
 * everything the run wrote, and builds the Allure report. Its exit code is Playwright's; when that
 * is 0, a report that failed to build or a fingerprint change that fails the run still fail the job.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PLAYWRIGHT_CLI, ROOT } from '../helpers/repo-paths';
import { buildAllureReport, RESULTS_DIR } from './allure-report';
import { addressesOf, redactPaths, RUN_OUTPUTS } from './redact-addresses';
import { recordFingerprint } from './fingerprint';

async function main(): Promise<number> {
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  // The runner omits an add-mask line from the log (it echoes `::add-mask::***` at most).
  if (process.env.GITHUB_ACTIONS === 'true') for (const address of addressesOf()) console.log(`::add-mask::${address}`);
  const child = spawn(process.execPath, [PLAYWRIGHT_CLI, 'test', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  // Ctrl+C reaches Playwright directly (same process group): stay alive to build the report of what
  // ran; passing it on would be a second Ctrl+C, which makes Playwright quit without its reports.
  process.on('SIGINT', () => undefined);
  // A CI runner stops the job with SIGTERM to this process only: pass it on, then report what ran.
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const code = await new Promise<number>((done) => child.once('exit', (exitCode, signal) => done(exitCode ?? (signal ? 130 : 1))));
  // The gateway's behaviour fingerprint, before the report that shows it; a shard's is the report job's.
  const sharded = process.argv.slice(2).some((arg) => arg.startsWith('--shard'));
  const fingerprint = sharded ? undefined : recordFingerprint();
  if (fingerprint) (fingerprint.exitCode === 0 ? console.log : console.error)(fingerprint.message);
  const redacted = redactPaths(RUN_OUTPUTS.map((dir) => join(ROOT, dir)));
  if (redacted.length > 0) console.log(`test addresses masked in ${redacted.length} report file(s)`);
  const build = buildAllureReport();
  console.log(build.status === 'built' ? `${build.message} (${build.durationMs} ms)` : `report: ${build.message}`);
  // No results (e.g. --list, or a config error) is for Playwright's exit code to say, not the report's.
  const judged = code !== 0 || build.status !== 'failed' ? code : 1;
  return judged === 0 && fingerprint?.exitCode ? fingerprint.exitCode : judged;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
