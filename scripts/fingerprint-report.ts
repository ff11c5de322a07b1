/**
 * The comparison as the run's readers get it: reports/fingerprint-changes.json, which the job
 * summary and the Allure report both render, so both say the same thing in the same words.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Fingerprint } from './fingerprint-build';
import type { Change, Comparison, Facet, LatencyThreshold } from './fingerprint-compare';
import type { KeptRun } from './fingerprint-keep';

export const CHANGES_FILE_NAME = 'fingerprint-changes.json';
export const FINGERPRINT_FILE_NAME = 'fingerprint.json';
/** Points of the logout p95 chart: the kept nights, newest last. */
export const CHART_POINTS = 30;

export interface ChangeReport {
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
}

export function changeReport(
  current: Fingerprint,
  previous: Fingerprint | undefined,
  comparison: Comparison,
  kept: readonly KeptRun[],
  failOn: Facet[],
  latencyThreshold: LatencyThreshold,
): ChangeReport {
  return {
    recordedAt: current.recordedAt,
    previousRecordedAt: previous?.recordedAt ?? null,
    targetChanged: previous && previous.target !== current.target ? { from: previous.target, to: current.target } : null,
    changes: comparison.changes,
    notCompared: comparison.notCompared,
    latencyThreshold,
    failOn,
    failing: comparison.changes.filter((c) => failOn.includes(c.facet)).map((c) => c.line),
    trend: kept
      .filter((k) => k.fingerprint.latency.logout !== null)
      .slice(-CHART_POINTS)
      .map((k) => ({ at: k.fingerprint.recordedAt, logoutP95Ms: k.fingerprint.latency.logout!.p95Ms })),
  };
}

/** One line: what a reader sees first. */
export function changeHeadline(report: ChangeReport): string {
  if (report.previousRecordedAt === null) return 'no earlier fingerprint: this run starts the record, nothing to compare';
  if (report.changes.length === 0) return `no change since the run of ${report.previousRecordedAt}`;
  const n = report.changes.length;
  return `${n} change${n === 1 ? '' : 's'} since the run of ${report.previousRecordedAt}`;
}

/** The list as plain lines, headline first (the Allure environment entry and attachment). */
export function changeLines(report: ChangeReport): string[] {
  const lines = [changeHeadline(report)];
  if (report.targetChanged) lines.push(`note: the earlier run judged ${report.targetChanged.from}, this one ${report.targetChanged.to}`);
  lines.push(...report.changes.map((c) => `- ${c.line}`));
  if (report.failing.length > 0)
    lines.push(`red: TRANSAK_FAIL_ON_CHANGE=${report.failOn.join(',')} fails the run on ${report.failing.length} of them`);
  return lines;
}

export function readChangeReport(file: string): ChangeReport | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ChangeReport;
  } catch {
    return undefined;
  }
}
