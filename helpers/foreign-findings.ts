/**
 * Violations a test met on the way to its own verdict that belong to another rule: a logout 200 body
 * off its schema met by a rule-2 test belongs to rule 1; a 5xx met by a rule-7 test belongs to rule 4.
 * The test that met one records it in its step and report and stays green; the finding is written
 * here, into the run's output folder (shared by every worker of this run or shard, emptied by
 * Playwright at each start), and the run-level verdict at the end of the run (`judgeRun`, from the
 * global setup's teardown) turns the owning rule red. So one bug turns one rule red, and no finding
 * is lost when only another rule's test met it.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { runFiles, type RunFiles } from './run-files';
import { RULES, RULE_IDS, type RuleId } from './rules';

/** A supporting endpoint's answer off its documented schema: spec drift, which no verdict rule owns. */
export const SPEC_DRIFT = 'drift';
export type FindingOwner = RuleId | typeof SPEC_DRIFT;

export interface ForeignFinding {
  /** The rule that owns the violations, or spec drift. */
  rule: FindingOwner;
  /** The test that met them (its title path), and the rule it judges. */
  metBy: string;
  violations: string[];
}

const findingsIn = (outputDir: string): RunFiles => runFiles(join(outputDir, '.transak-foreign-findings'));

/** Records a finding (already redacted) for the run-level verdict. */
export function recordFinding(outputDir: string, finding: ForeignFinding): void {
  findingsIn(outputDir).put(`${finding.rule}-${randomUUID()}.json`, JSON.stringify(finding));
}

export function readFindings(outputDir: string): ForeignFinding[] {
  const files = findingsIn(outputDir);
  return files.names().map((name) => JSON.parse(files.get(name) ?? '{}') as ForeignFinding);
}

/**
 * The run-level verdict: one block per broken rule, its violations each on a line, or undefined when
 * no test met another rule's violation. A finding counts even when its rule's own tests did not run
 * (a `--grep`): the server broke that rule all the same.
 */
export function runVerdict(findings: readonly ForeignFinding[]): string | undefined {
  const blocks: Array<[FindingOwner, string]> = [
    ...RULE_IDS.map((id): [FindingOwner, string] => [
      id,
      `${id} · ${RULES[id].title}: broken, as met by tests of other rules (run-level verdict)`,
    ]),
    [
      SPEC_DRIFT,
      "Spec drift: a supporting endpoint's answer moved from its documented schema (no verdict rule: decide whether the reference or the server moved)",
    ],
  ];
  const lines: string[] = [];
  for (const [owner, heading] of blocks) {
    const own = findings.filter((f) => f.rule === owner);
    if (own.length === 0) continue;
    lines.push(heading);
    const seen = new Set<string>();
    for (const f of own) {
      for (const v of f.violations.filter((v) => !seen.has(v))) {
        seen.add(v);
        lines.push(`  - ${v} (met by ${f.metBy})`);
      }
    }
  }
  return lines.length ? lines.join('\n') : undefined;
}

/** The rules a run-level verdict (its full text) names as broken: how the kill matrix and the summary read it. */
export function rulesInRunVerdict(text: string): RuleId[] {
  return RULE_IDS.filter((id) => new RegExp(`^(?:\\w+: )?${id} · .*\\(run-level verdict\\)$`, 'm').test(text));
}
