/**
 * The job summary's part of the fingerprint: right under the colour, what changed since the last
 * run (or "no change"), and a Mermaid chart of logout p95 over the kept runs. An opted-in change
 * (TRANSAK_FAIL_ON_CHANGE) turns the colour red and says why; any other change leaves the colour
 * to the tests.
 */
import { dirname, join } from 'node:path';
import { CHANGES_FILE_NAME, changeHeadline, readChangeReport, type ChangeReport } from './fingerprint-report';
import { readReport } from './json-report';

/** Markdown's active characters, shown as text (as scripts/job-summary.ts does for its own lines). */
function text(value: string): string {
  return value.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}

/**
 * The change report written beside the run's JSON report, if the fingerprint step ran for this run:
 * one recorded before the run started is an earlier run's (reports/ outlives runs) and is not shown.
 */
export function changeReportBeside(jsonReport: string): ChangeReport | undefined {
  const report = readChangeReport(join(dirname(jsonReport), CHANGES_FILE_NAME));
  const started = readReport(jsonReport)?.stats?.startTime;
  return report && (started === undefined || Date.parse(report.recordedAt) >= Date.parse(started)) ? report : undefined;
}

/** Mermaid's xychart-beta: labels are quoted strings, values plain numbers. */
export function logoutP95Chart(trend: ChangeReport['trend']): string[] {
  if (trend.length === 0) return [];
  const labels = trend.map((p) => `"${p.at.slice(5, 16).replace('T', ' ')}"`);
  const values = trend.map((p) => p.logoutP95Ms);
  const top = Math.max(10, Math.ceil((Math.max(...values) * 1.2) / 10) * 10);
  return [
    '```mermaid',
    'xychart-beta',
    `  title "Logout p95 (ms), last ${trend.length} run${trend.length === 1 ? '' : 's'}"`,
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "ms" 0 --> ${top}`,
    `  line [${values.join(', ')}]`,
    '```',
  ];
}

export function behaviourSection(report: ChangeReport): string {
  const out = ['### Changed since the last run', '', text(changeHeadline(report))];
  if (report.targetChanged)
    out.push('', `Note: the earlier run judged ${text(report.targetChanged.from)}, this one ${text(report.targetChanged.to)}.`);
  if (report.changes.length > 0) out.push('', ...report.changes.map((c) => `- ${text(c.line)}`));
  if (report.failing.length > 0)
    out.push('', `**Red: TRANSAK_FAIL_ON_CHANGE=${text(report.failOn.join(','))} fails the run on ${report.failing.length} of these.**`);
  if (report.notCompared.length > 0)
    out.push('', `${report.notCompared.length} kind(s) of request were observed in only one of the two runs and not compared.`);
  const chart = logoutP95Chart(report.trend);
  if (chart.length > 0) out.push('', '#### Logout p95 over the kept runs', '', ...chart);
  return `${out.join('\n')}\n`;
}

/** The summary's Markdown with the section under its header (the headline with the colour, and the title), before the counts. */
export function withBehaviourSection(markdown: string, report: ChangeReport | undefined): string {
  if (!report) return markdown;
  const table = markdown.indexOf('\n| Total |');
  if (table >= 0) return `${markdown.slice(0, table + 1)}${behaviourSection(report)}\n${markdown.slice(table + 1)}`;
  const at = markdown.indexOf('\n\n');
  return at < 0
    ? `${markdown}\n\n${behaviourSection(report)}`
    : `${markdown.slice(0, at + 2)}${behaviourSection(report)}\n${markdown.slice(at + 2)}`;
}

/** A run whose opted-in facets changed is red, whatever its tests said; the reason is a run error. */
export function withPinnedChanges<T extends { colour: 'green' | 'flaky' | 'red'; runErrors: string[] }>(
  summary: T,
  report: ChangeReport | undefined,
): T {
  if (!report || report.failing.length === 0) return summary;
  const reasons = report.failing.map((line) => `pinned behaviour changed (TRANSAK_FAIL_ON_CHANGE=${report.failOn.join(',')}): ${line}`);
  return { ...summary, colour: 'red', runErrors: [...summary.runErrors, ...reasons] };
}
