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
import { join, relative, resolve } from 'node:path';
import { createRedactor } from '../helpers/redact';
import { targetHost } from '../helpers/report-environment';
import { createSchemaValidator } from '../helpers/schema-validator';
import { injectIntoAllureResults, parseEnvInfo } from './fingerprint-allure';
import { buildFingerprint } from './fingerprint-build';
import { compareFingerprints, failOnFacets, latencyThreshold } from './fingerprint-compare';
import { keep, previousOf, readKept, writeKept } from './fingerprint-keep';
import { readAnnotations, readObservations, resultFiles } from './fingerprint-read';
import { CHANGES_FILE_NAME, changeLines, changeReport, FINGERPRINT_FILE_NAME, type ChangeReport } from './fingerprint-report';
import { resultsDirsIn } from './allure-report';
import { ROOT } from '../helpers/repo-paths';

export const KEPT_FILE = join(ROOT, 'allure-history', 'fingerprints.jsonl');

export interface FingerprintRun {
  status: 'recorded' | 'no-results' | 'failed';
  message: string;
  report?: ChangeReport;
  /** 1 when an opted-in facet changed (or the options are wrong), else 0. */
  exitCode: number;
}

export interface FingerprintOptions {
  resultsDirs?: string[];
  reportFile?: string;
  keptFile?: string;
  outDir?: string;
  env?: NodeJS.ProcessEnv;
}

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
 * that pinned behaviour (TRANSAK_FAIL_ON_CHANGE), which must not get a silent green.
 */
export function recordFingerprint(options: FingerprintOptions = {}): FingerprintRun {
  try {
    return record(options);
  } catch (error) {
    const pinned = (options.env ?? process.env).TRANSAK_FAIL_ON_CHANGE?.trim();
    const message = `could not record the behaviour fingerprint: ${error instanceof Error ? error.message : String(error)}`;
    return { status: 'failed', message, exitCode: pinned ? 1 : 0 };
  }
}

function record(options: FingerprintOptions): FingerprintRun {
  const env = options.env ?? process.env;
  const dirs = options.resultsDirs ?? [join(ROOT, 'allure-results')];
  const outDir = options.outDir ?? join(ROOT, 'reports');
  const keptFile = options.keptFile ?? KEPT_FILE;
  let failOn, threshold;
  try {
    failOn = failOnFacets(env);
    threshold = latencyThreshold(env);
  } catch (error) {
    return { status: 'failed', message: error instanceof Error ? error.message : String(error), exitCode: 1 };
  }
  const files = resultFiles(dirs);
  if (files.length === 0) return { status: 'no-results', message: 'no Allure results: no fingerprint recorded', exitCode: 0 };

  const observations = readObservations(dirs);
  const annotations = readAnnotations(options.reportFile ?? join(outDir, 'results.json'));
  const fingerprint = buildFingerprint(observations, annotations, createSchemaValidator(), targetOf(dirs, env));
  const run = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
  const kept = readKept(keptFile);
  const previous = previousOf(kept, run)?.fingerprint;
  const comparison = previous ? compareFingerprints(previous, fingerprint, threshold) : { changes: [], notCompared: [] };
  const nowKept = keep(kept, { run, fingerprint });
  const report = changeReport(fingerprint, previous, comparison, nowKept, failOn, threshold);

  const redactor = createRedactor(
    Object.entries(env)
      .filter(([name]) => SECRET_VARIABLE.test(name))
      .flatMap(([, value]) => (value ?? '').split(',')),
  );
  const safe = <T>(value: T): T => redactor.value(value);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, FINGERPRINT_FILE_NAME), `${JSON.stringify(safe(fingerprint), null, 2)}\n`);
  writeFileSync(join(outDir, CHANGES_FILE_NAME), `${JSON.stringify(safe(report), null, 2)}\n`);
  writeKept(keptFile, safe(nowKept));
  injectIntoAllureResults(dirs, safe(fingerprint), safe(report));

  const lines = changeLines(report).join('\n  ');
  const where = relative(ROOT, join(outDir, FINGERPRINT_FILE_NAME)) || FINGERPRINT_FILE_NAME;
  return {
    status: 'recorded',
    message: `behaviour fingerprint (${where}): ${lines}`,
    report,
    exitCode: report.failing.length > 0 ? 1 : 0,
  };
}

if (require.main === module) {
  // The downloaded shards' folders, however download-artifact laid them out (one shard: straight into the folder).
  const dirs = resultsDirsIn(process.argv.slice(2).map((d) => resolve(d)));
  const run = recordFingerprint({ resultsDirs: dirs.length ? dirs : undefined });
  (run.exitCode === 0 ? console.log : console.error)(run.status === 'failed' ? `fingerprint: ${run.message}` : run.message);
  process.exit(run.exitCode);
}
