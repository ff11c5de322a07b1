/**
 * The comparison as the run's readers get it, in the same words everywhere:
 * reports/fingerprint-changes.json; the job summary's section right under the colour (what changed
 * since the last run, or "no change", and a Mermaid chart of logout p95 over the kept runs); and in
 * the Allure results, before the report is built, the list as an environment entry (the report's
 * Metadata) and the list and the fingerprint as global attachments (`*-globals.json`), written into
 * the first results folder only, so merged shards show them once. An opted-in change
 * (TRANSAK_FAIL_ON_CHANGE) turns the summary red and is one of the report's Global Errors.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Change, Comparison, Facet, Fingerprint, LatencyThreshold } from './fingerprint-build';
import { readReport } from './json-report';

export const CHANGES_FILE_NAME = 'fingerprint-changes.json';
export const FINGERPRINT_FILE_NAME = 'fingerprint.json';
/** Points of the logout p95 chart: the kept nights, newest last. */
export const CHART_POINTS = 30;

export type ChangeReport = {
  recordedAt: string;
  /** When the run compared with was recorded; null when none was kept (the first run). */
  previousRecordedAt: string | null;
  /** Set when the two runs judged different targets: their answers are not one gateway's. */
  targetChanged: { from: string; to: string } | null;
  changes: Change[];
  notCompared: string[];
  latencyThreshold: LatencyThreshold;
  /** TRANSAK_FAIL_ON_CHANGE, and the changes it makes fail the run. */
  failOn: Facet[];
  failing: string[];
  trend: Array<{ at: string; logoutP95Ms: number }>;
};

export function changeReport(
  current: Fingerprint,
  previous: Fingerprint | undefined,
  comparison: Comparison,
  kept: readonly Fingerprint[],
  failOn: Facet[],
  latencyThreshold: LatencyThreshold,
): ChangeReport {
  return {
    recordedAt: current.recordedAt,
    previousRecordedAt: previous?.recordedAt ?? null,
    targetChanged: previous && previous.target !== current.target ? { from: previous.target, to: current.target } : null,
    ...comparison,
    latencyThreshold,
    failOn,
    failing: comparison.changes.filter((c) => failOn.includes(c.facet)).map((c) => c.line),
    trend: kept.flatMap((k) => (k.latency.logout ? [{ at: k.recordedAt, logoutP95Ms: k.latency.logout.p95Ms }] : [])).slice(-CHART_POINTS),
  };
}

export function readChangeReport(file: string): ChangeReport | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ChangeReport;
  } catch {
    return undefined;
  }
}

/** One line: what a reader sees first. */
function changeHeadline(report: ChangeReport): string {
  if (report.previousRecordedAt === null) return 'no earlier fingerprint: this run starts the record, nothing to compare';
  const n = report.changes.length;
  return `${n === 0 ? 'no change' : `${n} change${n === 1 ? '' : 's'}`} since the run of ${report.previousRecordedAt}`;
}

/** The headline, a note when the target changed, the list, the opt-in's verdict: groups of lines, each value passed through `esc`. */
function changeGroups(report: ChangeReport, esc = (value: string) => value): string[][] {
  const { targetChanged: target, failing, failOn } = report;
  return [
    [esc(changeHeadline(report))],
    target ? [`Note: the earlier run judged ${esc(target.from)}, this one ${esc(target.to)}.`] : [],
    report.changes.map((c) => `- ${esc(c.line)}`),
    failing.length > 0 ? [`Red: TRANSAK_FAIL_ON_CHANGE=${esc(failOn.join(','))} fails the run on ${failing.length} of these.`] : [],
  ].filter((group) => group.length > 0);
}

/** The list as plain lines, headline first (the CLI's output, the Allure environment entry and attachment). */
export const changeLines = (report: ChangeReport): string[] => changeGroups(report).flat();

const pinnedReasons = (report: ChangeReport): string[] =>
  report.failing.map((line) => `pinned behaviour changed (TRANSAK_FAIL_ON_CHANGE=${report.failOn.join(',')}): ${line}`);

// ---- The job summary

/**
 * The change report written beside the run's JSON report, if the fingerprint step ran for this run:
 * one recorded before the run started is an earlier run's (reports/ outlives runs) and is not shown.
 */
export function changeReportBeside(jsonReport: string): ChangeReport | undefined {
  const report = readChangeReport(join(dirname(jsonReport), CHANGES_FILE_NAME));
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
    out.push(
      `  y-axis "ms" 0 --> ${Math.max(10, Math.ceil((Math.max(...values) * 1.2) / 10) * 10)}`,
      `  line [${values.join(', ')}]`,
      '```',
    );
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
export function withPinnedChanges<T extends { colour: 'green' | 'flaky' | 'red'; runErrors: string[] }>(
  summary: T,
  report: ChangeReport | undefined,
): T {
  if (!report || report.failing.length === 0) return summary;
  return { ...summary, colour: 'red', runErrors: [...summary.runErrors, ...pinnedReasons(report)] };
}

// ---- The Allure results

// The .properties reader and writer allure-playwright uses (see scripts/allure-report.ts for why require).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { parseEnvInfo, stringifyEnvInfo } = require('allure-js-commons/sdk/reporter') as {
  parseEnvInfo(text: string): Record<string, string>;
  stringifyEnvInfo(info: Record<string, string>): string;
};

export const ENVIRONMENT_KEY = 'Behaviour changes since the last run';
const GLOBALS = 'logout-fingerprint-globals.json';
const CHANGES_SOURCE = 'logout-fingerprint-changes-attachment.txt';
const FINGERPRINT_SOURCE = 'logout-fingerprint-attachment.json';

export function injectIntoAllureResults(dirs: readonly string[], fingerprint: Fingerprint, report: ChangeReport): void {
  const existing = dirs.filter((d) => existsSync(d));
  for (const dir of existing) for (const file of [GLOBALS, CHANGES_SOURCE, FINGERPRINT_SOURCE]) rmSync(join(dir, file), { force: true });
  const dir = existing[0] ?? dirs[0];
  if (dir === undefined) return;
  mkdirSync(dir, { recursive: true });
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
