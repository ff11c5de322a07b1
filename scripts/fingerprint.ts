/**
 * `npm run fingerprint [-- <allure results dir>...]` (docs/reports.md): records how the gateway
 * behaved (fingerprint-build.ts) from the run's exchanges and annotations, and what moved since the
 * last kept run, in the same words everywhere: reports/fingerprint.json and fingerprint-changes.json
 * (the job summary's section), allure-history/fingerprints.jsonl (kept with the Allure trend), and
 * the Allure results' environment entry and global attachments, so it runs before the report is
 * built. Exits 1 when TRANSAK_FAIL_ON_CHANGE names a facet that changed. npm run test:api calls it,
 * except in a shard (the report job does).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRedactor, secretsOfEnv } from '../helpers/redact';
import { targetHost } from '../helpers/report-environment';
import { ROOT } from '../helpers/repo-paths';
import { createSchemaValidator } from '../helpers/schema-validator';
import { readEnvironment, resultFiles, resultsDirsIn, resultsId, writeEnvironment } from './allure-report';
import * as fp from './fingerprint-build';
import { readJson, readReport } from './json-report';
import type { Judged } from './night-completeness';

const KEPT_FILE = join(ROOT, 'allure-history', 'fingerprints.jsonl');
const KEPT_RUNS = 60;
const OUT_DIR = join(ROOT, 'reports');
const CHANGES_FILE_NAME = 'fingerprint-changes.json';
const FINGERPRINT_FILE_NAME = 'fingerprint.json';
/** Points of the logout p95 chart: the kept nights, newest last. */
const CHART_POINTS = 30;

/** The headline (what a reader sees first), a note when the target changed, the list, the opt-in's verdict: groups of lines, each value passed through `esc`. */
function changeGroups(report: ChangeReport, esc = (value: string) => value): string[][] {
  const { targetChanged: target, failing, failOn } = report;
  const n = report.changes.length;
  const changed = `${n === 0 ? 'no change' : `${n} change${n === 1 ? '' : 's'}`} since the run of ${report.previousRecordedAt}`;
  return [
    [esc(report.previousRecordedAt === null ? 'no earlier fingerprint: this run starts the record, nothing to compare' : changed)],
    target ? [`Note: the earlier run judged ${esc(target.from)}, this one ${esc(target.to)}.`] : [],
    report.changes.map((c) => `- ${esc(c.line)}`),
    failing.length > 0 ? [`Red: TRANSAK_FAIL_ON_CHANGE=${esc(failOn.join(','))} fails the run on ${failing.length} of these.`] : [],
  ].filter((group) => group.length > 0);
}

/** The list as plain lines, headline first (the CLI's output, the Allure environment entry and attachment). */
const changeLines = (report: ChangeReport): string[] => changeGroups(report).flat();

const pinnedReasons = (report: ChangeReport): string[] =>
  report.failing.map((line) => `pinned behaviour changed (TRANSAK_FAIL_ON_CHANGE=${report.failOn.join(',')}): ${line}`);

/**
 * The change report written beside the run's JSON report, if the fingerprint step ran for this run:
 * one recorded before the run started is an earlier run's (reports/ outlives runs) and is not shown.
 */
export function changeReportBeside(jsonReport: string): ChangeReport | undefined {
  const report = readJson(join(dirname(jsonReport), CHANGES_FILE_NAME)) as ChangeReport | undefined;
  const started = readReport(jsonReport)?.stats?.startTime;
  return report && (started === undefined || Date.parse(report.recordedAt) >= Date.parse(started)) ? report : undefined;
}

/** The job summary's section, its values passed through `esc` (the summary's Markdown escaping). */
export function behaviourSection(report: ChangeReport, esc: (value: string) => string): string[] {
  const out = ['### Changed since the last run', ...changeGroups(report, esc).flatMap((group) => ['', ...group])];
  if (report.notCompared.length > 0)
    out.push('', `${report.notCompared.length} kind(s) of request were observed in only one of the two runs and not compared.`);
  const { trend } = report;
  if (trend.length > 0) {
    // Mermaid's xychart-beta: labels are quoted strings, values plain numbers.
    const values = trend.map((p) => p.logoutP95Ms);
    out.push('', '#### Logout p95 over the kept runs', '', '```mermaid', 'xychart-beta');
    out.push(`  title "Logout p95 (ms), last ${trend.length} run${trend.length === 1 ? '' : 's'}"`);
    out.push(`  x-axis [${trend.map((p) => `"${p.at.slice(5, 16).replace('T', ' ')}"`).join(', ')}]`);
    const top = Math.max(10, Math.ceil((Math.max(...values) * 1.2) / 10) * 10);
    out.push(`  y-axis "ms" 0 --> ${top}`, `  line [${values.join(', ')}]`, '```');
  }
  return out;
}

/** A run whose opted-in facets changed is red, whatever its tests said; the reason is a run error. */
export function withPinnedChanges<T extends Judged>(summary: T, report: ChangeReport | undefined): T {
  if (!report || report.failing.length === 0) return summary;
  return { ...summary, colour: 'red', runErrors: [...summary.runErrors, ...pinnedReasons(report)] };
}

export const ENVIRONMENT_KEY = 'Behaviour changes since the last run';
const GLOBALS = 'logout-fingerprint-globals.json';
const CHANGES_SOURCE = 'logout-fingerprint-changes-attachment.txt';
const FINGERPRINT_SOURCE = 'logout-fingerprint-attachment.json';

/** The list (an environment entry: the report's Metadata) and the fingerprint (global attachments), in the first folder only, so merged shards show them once. */
function injectIntoAllureResults(dirs: readonly string[], fingerprint: fp.Fingerprint, report: ChangeReport): void {
  const existing = dirs.filter((d) => existsSync(d));
  for (const dir of existing) for (const file of [GLOBALS, CHANGES_SOURCE, FINGERPRINT_SOURCE]) rmSync(join(dir, file), { force: true });
  const dir = existing[0]; // the caller found results, so one exists
  const lines = changeLines(report);
  const entry = [lines[0], ...lines.slice(1).map((l) => l.replace(/^- /, ''))].join('; ');
  writeEnvironment(dir, { ...readEnvironment(dir), [ENVIRONMENT_KEY]: entry });
  writeFileSync(join(dir, CHANGES_SOURCE), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, FINGERPRINT_SOURCE), `${JSON.stringify(fingerprint, null, 2)}\n`);
  const timestamp = Date.now();
  const attachments = [
    { name: ENVIRONMENT_KEY, source: CHANGES_SOURCE, type: 'text/plain', timestamp },
    { name: 'Gateway behaviour fingerprint', source: FINGERPRINT_SOURCE, type: 'application/json', timestamp },
  ];
  // An opted-in change fails the run: the report's Global Errors say which, as the summary does.
  const errors = pinnedReasons(report).map((message) => ({ message, timestamp }));
  writeFileSync(join(dir, GLOBALS), JSON.stringify({ attachments, errors }));
}

/** One line per run, as many as the Allure trend keeps, each with its results' id: recording them again compares with the run before. */
type KeptRun = { run: string; fingerprint: fp.Fingerprint };

function readKept(file: string): KeptRun[] {
  return (existsSync(file) ? readFileSync(file, 'utf8').split('\n') : []).flatMap((line) => {
    try {
      const kept = JSON.parse(line) as KeptRun;
      return typeof kept.run === 'string' && kept.fingerprint?.answers ? [kept] : [];
    } catch {
      // A torn last line (a job killed mid-write) costs one night, not the record.
      return [];
    }
  });
}

/** The target as the run itself recorded it, so the nightly's report job names the gateway the shards judged. */
const targetOf = (dirs: readonly string[], env: NodeJS.ProcessEnv): string =>
  dirs.map((dir) => readEnvironment(dir)?.['Target host']).find(Boolean) ?? targetHost(env.TRANSAK_BASE_URL);

type Options = { failOn: fp.Facet[]; latencyThreshold: fp.LatencyThreshold };

/** What moved since `previous`, the run compared with (none kept: the first run), and logout p95 over `kept`. */
function changeReport(fingerprint: fp.Fingerprint, previous: fp.Fingerprint | undefined, kept: KeptRun[], options: Options) {
  const { failOn, latencyThreshold } = options;
  const comparison = previous ? fp.compareFingerprints(previous, fingerprint, latencyThreshold) : { changes: [], notCompared: [] };
  return {
    recordedAt: fingerprint.recordedAt,
    previousRecordedAt: previous?.recordedAt ?? null,
    // Two targets' answers are not one gateway's.
    targetChanged: previous && previous.target !== fingerprint.target ? { from: previous.target, to: fingerprint.target } : null,
    ...comparison,
    latencyThreshold,
    failOn,
    failing: comparison.changes.filter((c) => failOn.includes(c.facet)).map((c) => c.line),
    trend: kept
      .flatMap(({ fingerprint: { recordedAt: at, latency } }) => (latency.logout ? [{ at, logoutP95Ms: latency.logout.p95Ms }] : []))
      .slice(-CHART_POINTS),
  };
}

export type ChangeReport = ReturnType<typeof changeReport>;

/**
 * Never throws: wrong options (a misspelt facet, a latency floor that is not a number) fail the
 * run; a fingerprint that cannot be recorded says so, and fails the run only for a team that pinned
 * behaviour (TRANSAK_FAIL_ON_CHANGE), which must not get a silent green.
 */
export function recordFingerprint(dirs = [join(ROOT, 'allure-results')], env = process.env): { message: string; exitCode: number } {
  let options: Options;
  try {
    options = { failOn: fp.failOnFacets(env), latencyThreshold: fp.latencyThreshold(env) };
  } catch (error) {
    return { message: `fingerprint: ${(error as Error).message}`, exitCode: 1 };
  }
  try {
    const files = resultFiles(dirs);
    if (files.length === 0) return { message: 'no Allure results: no fingerprint recorded', exitCode: 0 };
    const annotations = fp.readAnnotations(join(OUT_DIR, 'results.json'));
    const fingerprint = fp.buildFingerprint(fp.readObservations(dirs), annotations, createSchemaValidator(), targetOf(dirs, env));
    const run = resultsId(files).slice(0, 16);
    const others = readKept(KEPT_FILE).filter((k) => k.run !== run);
    const kept = [...others, { run, fingerprint }].slice(-KEPT_RUNS);
    const report = changeReport(fingerprint, others.at(-1)?.fingerprint, kept, options);

    // Belt and braces, as the job summary does.
    const safe = createRedactor(secretsOfEnv(env)).value;
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(join(OUT_DIR, FINGERPRINT_FILE_NAME), `${JSON.stringify(safe(fingerprint), null, 2)}\n`);
    writeFileSync(join(OUT_DIR, CHANGES_FILE_NAME), `${JSON.stringify(safe(report), null, 2)}\n`);
    mkdirSync(dirname(KEPT_FILE), { recursive: true });
    writeFileSync(KEPT_FILE, `${kept.map((k) => JSON.stringify(safe(k))).join('\n')}\n`);
    injectIntoAllureResults(dirs, safe(fingerprint), safe(report));
    const where = relative(ROOT, join(OUT_DIR, FINGERPRINT_FILE_NAME));
    return {
      message: `behaviour fingerprint (${where}): ${changeLines(report).join('\n  ')}`,
      exitCode: report.failing.length > 0 ? 1 : 0,
    };
  } catch (error) {
    const message = `fingerprint: could not record the behaviour fingerprint: ${error instanceof Error ? error.message : String(error)}`;
    return { message, exitCode: env.TRANSAK_FAIL_ON_CHANGE?.trim() ? 1 : 0 };
  }
}

if (require.main === module) {
  // The downloaded shards' folders, however download-artifact laid them out (one shard: straight into the folder).
  const dirs = resultsDirsIn(process.argv.slice(2).map((d) => resolve(d)));
  const run = recordFingerprint(dirs.length ? dirs : undefined);
  (run.exitCode === 0 ? console.log : console.error)(run.message);
  process.exit(run.exitCode);
}
