/**
 * `npm run rehearse [-- --cooldown-ms=60000] [--policies=all|each|<name>,<name>] [--addresses=N]`: a
 * staging night in miniature (docs/rehearsal.md). The gateway is the emulator's staging profile, the
 * mailbox dovecot on 127.0.0.1 (plus-addressing), the pool 2 addresses per process (docs/staging.md);
 * two shards of the nightly config run at once, each in its own copy of the project as two CI runners
 * would, merged into one set of reports; the night must meet what staging would (its `problems`).
 * `--policies=` plays policies a correct gateway may choose (scripts/rehearsal-policies.ts), `each`
 * meaning all together, then each alone; `--addresses=12` plays the nightly's smallest pool.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultFiles } from './allure-report';
import { mergeReports, runReportJob } from './report-job';
import { countTests, readReport } from './json-report';
import { startDovecot } from './dovecot';
import { spawnEmulator } from './emulator-process';
import { nightsFor, policyEnv } from './rehearsal-policies';
import type { PolicyName } from '../emulator/policies';
import type { OtpStats } from '../emulator/stats';
import { cleanEnv, copyProject, runPlaywrightTest } from './scratch-run';
import { ROOT } from '../helpers/repo-paths';
import { runScript } from './run-script';

export interface RehearsalOptions {
  cooldownMs: number;
  /** Default 2 per process, as docs/staging.md recommends. */
  addresses?: number;
  /** Besides the staging profile; none for the plain night. */
  policies?: readonly PolicyName[];
  /** false: merge and count only, no fingerprint or Allure report (a self-test's night, whose claims are the counts). */
  allureReport?: boolean;
  /** On top of the rehearsal's own variables (a self-test's rule-8 objective). */
  env?: Record<string, string>;
}

export type RehearsalFigures = Awaited<ReturnType<typeof rehearse>>;

const ALLOWED_RATIO = 1.25;
/** The nightly layout: two shards, as two CI runners, 4 workers each. */
const SHARDS = 2;
const WORKERS = 4;

function countJunit(file: string): number {
  const match = existsSync(file) ? /<testsuites[^>]*\btests="(\d+)"/.exec(readFileSync(file, 'utf8')) : null;
  return match ? Number(match[1]) : NaN;
}

export function rehearsalEmulator(cooldownMs: number, maildir: string, statsFile: string, policies: readonly PolicyName[] = []) {
  return {
    args: ['--profile=staging'],
    env: {
      EMULATOR_OTP_COOLDOWN_MS: String(cooldownMs),
      EMULATOR_MAILDIR: maildir,
      EMULATOR_ALLOWLIST: '127.0.0.1,::1',
      EMULATOR_STATS_FILE: statsFile,
      ...policyEnv(policies),
    },
  };
}

export async function rehearse(options: RehearsalOptions) {
  const { cooldownMs, addresses = 2 * SHARDS * WORKERS, policies = [], allureReport = true, env: extra = {} } = options;
  const layout = { cooldownMs, shards: SHARDS, workers: WORKERS, addresses, policies };
  const dovecot = await startDovecot();
  const dir = mkdtempSync(join(tmpdir(), 'rehearsal-'));
  const statsFile = join(dir, 'otp-stats.json');
  const emulator = spawnEmulator(rehearsalEmulator(cooldownMs, dovecot.maildir, statsFile, policies));
  try {
    const env = {
      ...cleanEnv(),
      FORCE_COLOR: '0',
      TRANSAK_ENV_FILE: join(dir, 'no.env'),
      TRANSAK_BASE_URL: await emulator.ready,
      TRANSAK_EMAILS: Array.from({ length: addresses }, (_, i) => `${dovecot.user}+${i + 1}@rehearsal.test`).join(','),
      TRANSAK_OTP_IMAP_URL: dovecot.url,
      TRANSAK_OTP_COOLDOWN_MS: String(cooldownMs),
      // On staging the latest rule-2 look is free up to the cooldown: rehearse it that way.
      TRANSAK_R2_LATE_LOOK_MS: String(Math.max(3000, cooldownMs)),
      ...extra,
    };
    const runners = Array.from({ length: SHARDS }, (_, i) => join(dir, `runner-${i + 1}`));
    runners.forEach((runner) => copyProject(runner));
    const started = Date.now();
    const runs = await Promise.all(
      runners.map((runner, i) =>
        runPlaywrightTest({
          cwd: runner,
          env: { ...env, PW_BLOB: '1' },
          args: ['-c', 'playwright.nightly.config.ts', `--shard=${i + 1}/${SHARDS}`, `--workers=${WORKERS}`],
          timeoutMs: 30 * cooldownMs + 300_000,
        }),
      ),
    );
    const wallMs = Date.now() - started;

    const reportJob = join(dir, 'report-job');
    copyProject(reportJob);
    const job = { reportJob, runners, env, listFile: join(dir, 'list.json'), timeoutMs: 120_000 };
    const { merge, report, resultDirs, listed } = allureReport
      ? await runReportJob(job)
      : { ...(await mergeReports(job)), report: undefined };

    // Send User OTP calls per address (the preflights' included), and those refused as too soon (1019).
    const sends = Object.entries((JSON.parse(readFileSync(statsFile, 'utf8')) as OtpStats)['send-user-otp']);
    const refused = sends.filter(([, s]) => (s.errorCodes['1019'] ?? 0) > 0);
    const logins = sends.reduce((sum, [, s]) => sum + s.calls, 0);
    const tooSoon = refused.reduce((sum, [, s]) => sum + s.errorCodes['1019'], 0);
    const mergedJson = join(reportJob, 'reports', 'results.json');
    const counted = {
      json: countTests(mergedJson),
      junit: countJunit(join(reportJob, 'reports', 'junit.xml')),
      allure: resultFiles(resultDirs).length,
    };
    // The floor the OTP rate sets.
    const limitMs = Math.ceil(logins / addresses) * cooldownMs;
    // A rule a night skipped is a rule it did not judge.
    const skipped = readReport(mergedJson)?.stats.skipped ?? NaN;
    const green = runs.every((run) => run.exitCode === 0);

    const problems: string[] = [];
    if (!green) problems.push(`not green: shard exit codes ${runs.map((run) => run.exitCode).join(', ')}`);
    for (const [where, n] of Object.entries(counted))
      if (n !== listed) problems.push(`the merged ${where} report counts ${n} tests, the suite lists ${listed}`);
    if (skipped !== 0) problems.push(`${skipped} tests were skipped: a night that skips a rule has not judged it`);
    if (tooSoon > 0)
      problems.push(
        `${tooSoon} OTP requests were refused as too soon (1019): ${refused.map(([address]) => address).join(', ')} asked again inside the cooldown`,
      );
    if (wallMs > ALLOWED_RATIO * limitMs)
      problems.push(`wall time ${(wallMs / 1000).toFixed(1)} s is over ${ALLOWED_RATIO} × the OTP-rate limit of ${limitMs / 1000} s`);
    if (merge.exitCode !== 0 || (report !== undefined && report.exitCode !== 0)) problems.push('the reports were not merged and built');
    const output = [
      ...runs.map((run, i) => `--- shard ${i + 1} ---\n${run.output}`),
      `--- merge ---\n${merge.output}`,
      ...(report === undefined ? [] : [`--- report ---\n${report.output}`]),
    ].join('\n');
    return { ...layout, green, listed, counted, logins, tooSoon, skipped, wallMs, limitMs, problems, output };
  } finally {
    // Each stopped whatever the other's stop does, and the folder removed after both.
    await Promise.allSettled([emulator.stop(), dovecot.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describeFigures(f: RehearsalFigures): string[] {
  return [
    `layout: ${f.shards} shards × ${f.workers} workers, ${f.addresses} addresses, OTP cooldown ${f.cooldownMs / 1000} s`,
    ...(f.policies.length > 0 ? [`gateway policies: ${f.policies.join(', ')}`] : []),
    `colour: ${f.green ? 'green' : 'RED'}; tests listed ${f.listed}, merged reports count json ${f.counted.json} · junit ${f.counted.junit} · allure ${f.counted.allure}`,
    `OTP requests: ${f.logins} (preflights included), ${f.tooSoon} refused as too soon (1019)`,
    `wall time: ${(f.wallMs / 1000).toFixed(1)} s; OTP-rate limit ceil(${f.logins} / ${f.addresses}) × ${f.cooldownMs / 1000} s = ${f.limitMs / 1000} s; ratio ${(f.wallMs / f.limitMs).toFixed(2)} (allowed ≤ ${ALLOWED_RATIO})`,
  ];
}

function writeDoc(f: RehearsalFigures): void {
  const lines = [
    '# Rehearsal of a staging night',
    '',
    `Written by \`npm run rehearse\` on ${new Date().toISOString().slice(0, 10)}, on a machine with ${cpus().length} cores. Do not edit by hand.`,
    '',
    'The same night against a gateway that chooses the policies the reference leaves open (emulator/README.md) is',
    '`npm run rehearse -- --policies=all` (or a comma-separated list of them, or `each`: all together, then each alone),',
    'and `--addresses=12` plays the smallest nightly pool; those figures are printed, not kept here.',
    '',
    ...describeFigures(f).map((line) => `- ${line}`),
    '',
  ];
  writeFileSync(join(ROOT, 'docs', 'rehearsal.md'), lines.join('\n'));
}

/** A `--name=N` count: a whole number above 0, or one line that names the fix (a cooldown of 0 leaves no limit to compare with). */
export function countArg(name: string, value: string | undefined, example: number): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || count < 1)
    throw new Error(`--${name}=${value} is not a whole number above 0: give one, e.g. --${name}=${example}`);
  return count;
}

async function main(): Promise<number> {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const cooldown = countArg('cooldown-ms', arg('cooldown-ms'), 60_000);
  const addresses = countArg('addresses', arg('addresses'), 12);
  const policiesArg = arg('policies');
  let failed = 0;
  for (const policies of policiesArg === undefined ? [[]] : nightsFor(policiesArg)) {
    const figures = await rehearse({ cooldownMs: cooldown ?? 60_000, addresses, policies });
    describeFigures(figures).forEach((line) => console.log(line));
    if (figures.problems.length) {
      console.log(figures.output.slice(-6000));
      figures.problems.forEach((problem) => console.error(`rehearsal failed: ${problem}`));
      failed += 1;
      continue;
    }
    // docs/rehearsal.md is the plain night at the real cooldown; other nights' figures are printed only.
    if (cooldown === undefined && addresses === undefined && policies.length === 0) writeDoc(figures);
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) runScript(main);
