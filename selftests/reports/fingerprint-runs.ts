/**
 * Three small nights in a row, the way CI runs them (`npm run test:api`, then `npm run summary`),
 * in one copy of the project so the kept fingerprints carry from night to night, each against an
 * emulator process in another mode, each only rule 2 (`--grep @R2`: the kinds whose answers move):
 *
 * 1. `first`: the reference server, nothing kept before it;
 * 2. `forbidden`: `reject-as-403` (every token rejection 403 instead of 401), with
 *    TRANSAK_FAIL_ON_CHANGE=status; then `relaxed`: the same results fingerprinted again with every
 *    other facet opted in, which must not fail;
 * 3. `slow`: `slow-logout` (every successful logout 1700 ms), kept fingerprints as after night 1.
 *
 * TRANSAK_LATENCY_CHANGE_MS=1000: on a shared 2-core machine a p95 of a dozen requests jumps by a
 * few hundred ms at random, which the default floor would rightly call a change; the slow mode adds
 * 1700 ms. The default floor is proven on hand-made fingerprints (fingerprint.spec.ts).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Secret } from './leak-scan';
import { SLOW_LOGOUT_MS } from '../../emulator/faults';
import { spawnEmulator } from '../../scripts/emulator-process';
import { cleanEnv, copyProject, oncePerSelfTestRun, runToEnd } from '../../scripts/scratch-run';
import { readChangeReport, type ChangeReport } from '../../scripts/fingerprint-report';

export const LATENCY_FLOOR_MS = 1000;
export { SLOW_LOGOUT_MS };

export interface Night {
  exitCode: number | null;
  output: string;
  summary: string;
  /** What the summary handed GitHub ($GITHUB_OUTPUT): colour, headline. */
  outputs: Record<string, string>;
  changes: ChangeReport | undefined;
  fingerprint: string;
}

export interface FingerprintNights {
  dir: string;
  first: Night;
  forbidden: Night;
  relaxed: Night;
  slow: Night;
  /** The Allure report of the `forbidden` night (one file). */
  forbiddenReport: string;
  secrets: Secret[];
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function outputsOf(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

async function produce(cacheDir: string): Promise<FingerprintNights> {
  const dir = join(cacheDir, 'project');
  copyProject(dir);
  const secretsFile = join(cacheDir, 'issued-secrets.txt');
  writeFileSync(secretsFile, '');
  const apiKey = `qa-fingerprint-check-${randomBytes(12).toString('hex')}`;
  const otp = String(randomInt(10_000_000, 100_000_000));
  const base = {
    ...cleanEnv(),
    FORCE_COLOR: '0',
    TRANSAK_ENV_FILE: join(cacheDir, 'no.env'),
    TRANSAK_API_KEY: apiKey,
    TRANSAK_OTP: otp,
    TRANSAK_OTP_COOLDOWN_MS: '1000',
    TRANSAK_R2_LATE_LOOK_MS: '3000',
    TRANSAK_LATENCY_CHANGE_MS: String(LATENCY_FLOOR_MS),
  };
  const read = (name: string, outputsFile: string, exitCode: number | null, output: string): Night => {
    const night: Night = {
      exitCode,
      output,
      summary: readFileSync(join(dir, 'reports', 'summary.md'), 'utf8'),
      outputs: outputsOf(outputsFile),
      changes: readChangeReport(join(dir, 'reports', 'fingerprint-changes.json')),
      fingerprint: readFileSync(join(dir, 'reports', 'fingerprint.json'), 'utf8'),
    };
    writeFileSync(join(cacheDir, `${name}.json`), JSON.stringify(night, null, 2));
    return night;
  };
  const summarize = async (name: string, env: NodeJS.ProcessEnv): Promise<{ file: string; output: string }> => {
    const file = join(cacheDir, `${name}.outputs`);
    writeFileSync(file, '');
    const run = await runToEnd(npm, ['run', 'summary'], { cwd: dir, env: { ...env, GITHUB_OUTPUT: file }, timeoutMs: 60_000 });
    return { file, output: run.output };
  };
  const night = async (name: string, faults: string[], extra: Record<string, string> = {}): Promise<Night> => {
    const emulator = spawnEmulator({
      faults,
      env: { EMULATOR_API_KEY: apiKey, EMULATOR_OTP: otp, EMULATOR_SECRETS_FILE: secretsFile, EMULATOR_OTP_COOLDOWN_MS: '1000' },
    });
    try {
      const env = { ...base, TRANSAK_BASE_URL: await emulator.ready, ...extra };
      const job = await runToEnd(npm, ['run', 'test:api', '--', '--grep', '@R2', '--workers=2'], { cwd: dir, env, timeoutMs: 240_000 });
      const summary = await summarize(name, env);
      return read(name, summary.file, job.exitCode, `${job.output}${summary.output}`);
    } finally {
      await emulator.stop();
    }
  };

  const kept = join(dir, 'allure-history', 'fingerprints.jsonl');
  const first = await night('first', []);
  copyFileSync(kept, join(cacheDir, 'kept-after-first.jsonl'));

  const forbidden = await night('forbidden', ['reject-as-403'], { TRANSAK_FAIL_ON_CHANGE: 'status' });
  const forbiddenReport = join(cacheDir, 'forbidden-allure.html');
  copyFileSync(join(dir, 'reports', 'allure-report', 'index.html'), forbiddenReport);

  // The same results again, every facet but status opted in: the run's one kind of change is status.
  const relaxedEnv = { ...base, TRANSAK_FAIL_ON_CHANGE: 'errorCode,shape,contentType,policy,latency' };
  const again = await runToEnd(npm, ['run', 'fingerprint'], { cwd: dir, env: relaxedEnv, timeoutMs: 60_000 });
  const relaxedSummary = await summarize('relaxed', relaxedEnv);
  const relaxed = read('relaxed', relaxedSummary.file, again.exitCode, `${again.output}${relaxedSummary.output}`);

  mkdirSync(join(dir, 'allure-history'), { recursive: true });
  copyFileSync(join(cacheDir, 'kept-after-first.jsonl'), kept);
  const slow = await night('slow', ['slow-logout']);

  const issued = readFileSync(secretsFile, 'utf8').split('\n').filter((line) => line !== '');
  const secrets: Secret[] = [
    { kind: 'API key', value: apiKey },
    { kind: 'OTP', value: otp },
    ...issued.map((value) => ({ kind: value === otp ? 'OTP' : value.startsWith('eyJ') ? 'access token' : 'state token', value })),
  ];
  return { dir, first, forbidden, relaxed, slow, forbiddenReport, secrets };
}

/** The nights for this self-test run (run once, shared with a second worker). */
export function fingerprintNights(): Promise<FingerprintNights> {
  return oncePerSelfTestRun('logout-suite-fingerprint-selftest-', produce);
}
