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
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES, RULE_IDS, type RuleId } from './rules';

export interface ForeignFinding {
  /** The rule that owns the violations. */
  rule: RuleId;
  /** The test that met them (its title path), and the rule it judges. */
  metBy: string;
  violations: string[];
}

const FOLDER = '.transak-foreign-findings';

/** Records a finding (already redacted) for the run-level verdict. */
export function recordFinding(outputDir: string, finding: ForeignFinding): void {
  const dir = join(outputDir, FOLDER);
  mkdirSync(dir, { recursive: true });
  const name = join(dir, `${finding.rule}-${randomUUID()}.json`);
  // Written aside, then renamed: the run-level verdict never reads a half-written finding.
  writeFileSync(`${name}.partial`, JSON.stringify(finding));
  renameSync(`${name}.partial`, name);
}

export function readFindings(outputDir: string): ForeignFinding[] {
  let names: string[];
  try {
    names = readdirSync(join(outputDir, FOLDER)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.map((n) => JSON.parse(readFileSync(join(outputDir, FOLDER, n), 'utf8')) as ForeignFinding);
}

/**
 * The run-level verdict: one block per broken rule, its violations each on a line, or undefined when
 * no test met another rule's violation. A finding counts even when its rule's own tests did not run
 * (a `--grep`): the server broke that rule all the same.
 */
export function runVerdict(findings: readonly ForeignFinding[]): string | undefined {
  const lines: string[] = [];
  for (const rule of RULE_IDS) {
    const own = findings.filter((f) => f.rule === rule);
    if (own.length === 0) continue;
    lines.push(`${rule} · ${RULES[rule].title}: broken, as met by tests of other rules (run-level verdict)`);
    for (const f of own) for (const v of f.violations) lines.push(`  - ${v} (met by ${f.metBy})`);
  }
  return lines.length ? lines.join('\n') : undefined;
}
