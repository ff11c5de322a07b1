/**
 * `npm run fingerprint [-- <allure results dir>...]` (docs/reports.md): after a run, before its Allure
 * report is built, records how the gateway behaved (scripts/fingerprint-build.ts) from the run's
 * exchanges (allure-results/, or the nightly's shards) and annotations (reports/results.json), and what
 * moved since the last kept run, in the same words everywhere: reports/fingerprint.json and
 * fingerprint-changes.json (the job summary's section under the colour, with a Mermaid chart of logout
 * p95), the record in allure-history/fingerprints.jsonl (kept between nights with the Allure trend),
 * the Allure results' environment entry and global attachments. Exits 1 when TRANSAK_FAIL_ON_CHANGE
 * names a facet that changed, else 0. npm run test:api calls it, except in a shard (the report job does).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRedactor, secretsOfEnv } from '../helpers/redact';
import { targetHost } from '../helpers/report-environment';
import { ROOT } from '../helpers/repo-paths';
import { createSchemaValidator } from '../helpers/schema-validator';
import { parseEnvInfo, resultFiles, resultsDirsIn, stringifyEnvInfo } from './allure-report';
import * as fp from './fingerprint-build';
import { readReport } from './json-report';
import type { Judged } from './night-completeness';

const KEPT_FILE = join(ROOT, 'allure-history', 'fingerprints.jsonl');
const KEPT_RUNS = 60;
const OUT_DIR = join(ROOT, 'reports');
const CHANGES_FILE_NAME = 'fingerprint-changes.json';
const FINGERPRINT_FILE_NAME = 'fingerprint.json';
/** Points of the logout p95 chart: the kept nights, newest last. */
const CHART_POINTS = 30;

export type ChangeReport = {
  recordedAt: string;
  /** When the run compared with was recorded; null when none was kept (the first run). */
  previousRecordedAt: string | null;
  /** Set when the two runs judged different targets: their answers are not one gateway's. */
  targetChanged: { from: string; to: string } | null;
  changes: fp.Change[];
  notCompared: string[];
  latencyThreshold: fp.LatencyThreshold;
  /** TRANSAK_FAIL_ON_CHANGE, and the changes it makes fail the run. */
  failOn: fp.Facet[];
  failing: string[];
  trend: Array<{ at: string; logoutP95Ms: number }>;
};

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

// ---- The job summary's section

/**
 * The change report written beside the run's JSON report, if the fingerprint step ran for this run:
 * one recorded before the run started is an earlier run's (reports/ outlives runs) and is not shown.
 */
export function changeReportBeside(jsonReport: string): ChangeReport | undefined {
  const report = fp.readJson(join(dirname(jsonReport), CHANGES_FILE_NAME)) as ChangeReport | undefined;
  const started = readReport(jsonReport)?.stats?.startTime;
  return report && (started === undefined || Date.parse(report.recordedAt) >= Date.parse(started)) ? report : undefined;
}

function behaviourSection(report: ChangeReport): string {
  // Markdown's active characters, shown as text (as scripts/job-summary.ts does for its own lines).
  const text = (value: string) => value.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
  const out = ['### Changed since the last run', ...changeGroups(report, text).flatMap((group) => ['', ...group])];
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
  return `${out.join('\n')}\n`;
}

/** The summary's Markdown with the section under its header (the headline with the colour, and the title), before the counts. */
export function withBehaviourSection(markdown: string, report: ChangeReport | undefined): string {
  if (!report) return markdown;
  const table = markdown.indexOf('\n| Total |');
  const at = table >= 0 ? table + 1 : markdown.indexOf('\n\n') + 2;
  if (table < 0 && at < 2) return `${markdown}\n\n${behaviourSection(report)}`;
  return `${markdown.slice(0, at)}${behaviourSection(report)}\n${markdown.slice(at)}`;
}

/** A run whose opted-in facets changed is red, whatever its tests said; the reason is a run error. */
export function withPinnedChanges<T extends Judged>(summary: T, report: ChangeReport | undefined): T {
  if (!report || report.failing.length === 0) return summary;
  return { ...summary, colour: 'red', runErrors: [...summary.runErrors, ...pinnedReasons(report)] };
}

// ---- The Allure results

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
  const envFile = join(dir, 'environment.properties');
  const environment = existsSync(envFile) ? parseEnvInfo(readFileSync(envFile, 'utf8')) : {};
  environment[ENVIRONMENT_KEY] = [lines[0], ...lines.slice(1).map((l) => l.replace(/^- /, ''))].join('; ');
  writeFileSync(envFile, stringifyEnvInfo(environment));
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

// ---- Recording a run

/**
 * One line per run, at most as many as the Allure trend (allurerc.mjs, historyLimit), each with the run
 * it came from (a hash of its result files): recording the same results again compares with the run before.
 */
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

/**
 * The target as the run itself recorded it (its Allure environment block), so a fingerprint taken
 * in another job (the nightly's report job) names the gateway the shards judged.
 */
function targetOf(dirs: readonly string[], env: NodeJS.ProcessEnv): string {
  const files = dirs.map((dir) => join(dir, 'environment.properties')).filter((file) => existsSync(file));
  return files.map((file) => parseEnvInfo(readFileSync(file, 'utf8'))['Target host']).find(Boolean) ?? targetHost(env.TRANSAK_BASE_URL);
}

/**
 * `message` for the log; `exitCode` 1 when an opted-in facet changed, else 0. Never throws: wrong
 * options (a misspelt facet, a latency floor that is not a number) fail the run; a fingerprint that
 * cannot be recorded says so, and fails the run only for a team that pinned behaviour
 * (TRANSAK_FAIL_ON_CHANGE), which must not get a silent green.
 */
export function recordFingerprint(dirs = [join(ROOT, 'allure-results')], env = process.env): { message: string; exitCode: number } {
  let failOn: fp.Facet[], latencyThreshold: fp.LatencyThreshold;
  try {
    [failOn, latencyThreshold] = [fp.failOnFacets(env), fp.latencyThreshold(env)];
  } catch (error) {
    return { message: `fingerprint: ${(error as Error).message}`, exitCode: 1 };
  }
  try {
    const files = resultFiles(dirs);
    if (files.length === 0) return { message: 'no Allure results: no fingerprint recorded', exitCode: 0 };
    const annotations = fp.readAnnotations(join(OUT_DIR, 'results.json'));
    const fingerprint = fp.buildFingerprint(fp.readObservations(dirs), annotations, createSchemaValidator(), targetOf(dirs, env));
    const run = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
    const others = readKept(KEPT_FILE).filter((k) => k.run !== run);
    const previous = others.at(-1)?.fingerprint;
    const comparison = previous ? fp.compareFingerprints(previous, fingerprint, latencyThreshold) : { changes: [], notCompared: [] };
    const kept = [...others, { run, fingerprint }].slice(-KEPT_RUNS);
    const report: ChangeReport = {
      recordedAt: fingerprint.recordedAt,
      previousRecordedAt: previous?.recordedAt ?? null,
      targetChanged: previous && previous.target !== fingerprint.target ? { from: previous.target, to: fingerprint.target } : null,
      ...comparison,
      latencyThreshold,
      failOn,
      failing: comparison.changes.filter((c) => failOn.includes(c.facet)).map((c) => c.line),
      trend: kept
        .flatMap(({ fingerprint: { recordedAt: at, latency } }) => (latency.logout ? [{ at, logoutP95Ms: latency.logout.p95Ms }] : []))
        .slice(-CHART_POINTS),
    };

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
