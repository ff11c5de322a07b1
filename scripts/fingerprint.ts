/**
 * `npm run fingerprint [-- <allure results dir>...]`: after a run, before its Allure report is built,
 * records how the gateway behaved and what moved since the last kept run.
 * - reads the run's exchanges (allure-results/, or the given folders: the nightly's shards) and its
 *   annotations (reports/results.json);
 * - writes reports/fingerprint.json and reports/fingerprint-changes.json (the job summary reads it);
 * - keeps the fingerprint in allure-history/fingerprints.jsonl, beside the Allure trend;
 * - puts the change list and the fingerprint into the Allure results (the report shows both);
 * - exits 1 when TRANSAK_FAIL_ON_CHANGE names a facet that changed, else 0: a change alone is news,
 *   not a failure. npm run test:api calls it, except in a shard (the nightly's report job does).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRedactor } from '../helpers/redact';
import { targetHost } from '../helpers/report-environment';
import { ROOT } from '../helpers/repo-paths';
import { createSchemaValidator } from '../helpers/schema-validator';
import { resultsDirsIn } from './allure-report';
import {
  buildFingerprint,
  compareFingerprints,
  failOnFacets,
  latencyThreshold,
  readAnnotations,
  readObservations,
  resultFiles,
  type Fingerprint,
} from './fingerprint-build';
import {
  CHANGES_FILE_NAME,
  changeLines,
  changeReport,
  FINGERPRINT_FILE_NAME,
  injectIntoAllureResults,
  parseEnvInfo,
} from './fingerprint-report';

/**
 * The kept fingerprints, one JSON line per run, beside the Allure trend, so whatever keeps that folder
 * between nights (the allure-history branch, CI's cache) keeps these too; at most as many nights as the
 * trend keeps (allurerc.mjs, historyLimit). Each line carries the run it came from (a hash of its
 * result files): recording the same results again replaces nothing and compares with the run before.
 */
export const KEPT_FILE = join(ROOT, 'allure-history', 'fingerprints.jsonl');
const KEPT_RUNS = 60;
type KeptRun = { run: string; fingerprint: Fingerprint };

function readKept(file: string): KeptRun[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const kept = JSON.parse(line) as KeptRun;
        return typeof kept.run === 'string' && kept.fingerprint?.answers ? [kept] : [];
      } catch {
        // A torn last line (a job killed mid-write) costs one night, not the record.
        return [];
      }
    });
}

/** `message` for the log; `exitCode` 1 when an opted-in facet changed (or the options are wrong), else 0. */
export type FingerprintRun = { message: string; exitCode: number };

export type FingerprintOptions = {
  resultsDirs?: string[];
  reportFile?: string;
  keptFile?: string;
  outDir?: string;
  env?: NodeJS.ProcessEnv;
};

/**
 * The target as the run itself recorded it (its Allure environment block), so a fingerprint taken
 * in another job (the nightly's report job) names the gateway the shards judged.
 */
function targetOf(dirs: readonly string[], env: NodeJS.ProcessEnv): string {
  for (const dir of dirs) {
    const file = join(dir, 'environment.properties');
    const host = existsSync(file) ? parseEnvInfo(readFileSync(file, 'utf8'))['Target host'] : undefined;
    if (host) return host;
  }
  return targetHost(env.TRANSAK_BASE_URL);
}

/** Values of the suite's secret variables: belt and braces, as the job summary does. */
const SECRET_VARIABLE = /^(TRANSAK|EMULATOR)_(API_KEY|OTP|OTP_IMAP_URL|OTP_COMMAND|EMAILS)$/;

/**
 * Never throws: a fingerprint that cannot be recorded says so, and fails the run only for a team
 * that pinned behaviour (TRANSAK_FAIL_ON_CHANGE), which must not get a silent green; wrong options
 * (a misspelt facet, a latency floor that is not a number) always fail it.
 */
export function recordFingerprint(options: FingerprintOptions = {}): FingerprintRun {
  const env = options.env ?? process.env;
  let failOn, threshold;
  try {
    failOn = failOnFacets(env);
    threshold = latencyThreshold(env);
  } catch (error) {
    return { message: `fingerprint: ${(error as Error).message}`, exitCode: 1 };
  }
  try {
    return record(options, env, failOn, threshold);
  } catch (error) {
    const message = `fingerprint: could not record the behaviour fingerprint: ${error instanceof Error ? error.message : String(error)}`;
    return { message, exitCode: env.TRANSAK_FAIL_ON_CHANGE?.trim() ? 1 : 0 };
  }
}

function record(
  options: FingerprintOptions,
  env: NodeJS.ProcessEnv,
  failOn: ReturnType<typeof failOnFacets>,
  threshold: ReturnType<typeof latencyThreshold>,
): FingerprintRun {
  const dirs = options.resultsDirs ?? [join(ROOT, 'allure-results')];
  const outDir = options.outDir ?? join(ROOT, 'reports');
  const keptFile = options.keptFile ?? KEPT_FILE;
  const files = resultFiles(dirs);
  if (files.length === 0) return { message: 'no Allure results: no fingerprint recorded', exitCode: 0 };

  const annotations = readAnnotations(options.reportFile ?? join(outDir, 'results.json'));
  const fingerprint = buildFingerprint(readObservations(dirs), annotations, createSchemaValidator(), targetOf(dirs, env));
  const run = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
  const others = readKept(keptFile).filter((k) => k.run !== run);
  const previous = others.at(-1)?.fingerprint;
  const comparison = previous ? compareFingerprints(previous, fingerprint, threshold) : { changes: [], notCompared: [] };
  const kept = [...others, { run, fingerprint }].slice(-KEPT_RUNS);
  const report = changeReport(
    fingerprint,
    previous,
    comparison,
    kept.map((k) => k.fingerprint),
    failOn,
    threshold,
  );

  const secrets = Object.entries(env).flatMap(([name, value]) => (SECRET_VARIABLE.test(name) ? (value ?? '').split(',') : []));
  const safe = createRedactor(secrets).value;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, FINGERPRINT_FILE_NAME), `${JSON.stringify(safe(fingerprint), null, 2)}\n`);
  writeFileSync(join(outDir, CHANGES_FILE_NAME), `${JSON.stringify(safe(report), null, 2)}\n`);
  mkdirSync(dirname(keptFile), { recursive: true });
  writeFileSync(
    keptFile,
    safe(kept)
      .map((k) => JSON.stringify(k))
      .join('\n') + '\n',
  );
  injectIntoAllureResults(dirs, safe(fingerprint), safe(report));

  const where = relative(ROOT, join(outDir, FINGERPRINT_FILE_NAME)) || FINGERPRINT_FILE_NAME;
  return { message: `behaviour fingerprint (${where}): ${changeLines(report).join('\n  ')}`, exitCode: report.failing.length > 0 ? 1 : 0 };
}

if (require.main === module) {
  // The downloaded shards' folders, however download-artifact laid them out (one shard: straight into the folder).
  const dirs = resultsDirsIn(process.argv.slice(2).map((d) => resolve(d)));
  const run = recordFingerprint({ resultsDirs: dirs.length ? dirs : undefined });
  (run.exitCode === 0 ? console.log : console.error)(run.message);
  process.exit(run.exitCode);
}
