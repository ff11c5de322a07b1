/**
 * The fingerprint's wiring in CI, checked without running it: the nightly fingerprints the merged
 * run before building the report and keeps the record on the allure-history branch; the gate
 * restores its record from CI's cache before the suite and saves it after, under one key family.
 */
import { expect, test } from '../fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKFLOWS_DIR } from '../../scripts/lint-workflows';
import { ROOT } from '../../helpers/repo-paths';
import { loadWorkflows, type Step, type Workflow } from './workflow-checks';

const workflows = loadWorkflows(WORKFLOWS_DIR);
const byFile = (file: string): Workflow => workflows.find((w) => w.file === file)!;
const indexOf = (steps: Step[], match: RegExp): number => steps.findIndex((s) => match.test(s.run ?? s.uses ?? ''));

test('the nightly fingerprints the merged run after restoring the record and before the report, and keeps it on the branch', () => {
  const steps = byFile('nightly.yml').jobs.report.steps ?? [];
  const at = indexOf(steps, /^npm run fingerprint -- all-allure-results$/);
  expect(at, 'a fingerprint step over every shard’s results').toBeGreaterThan(indexOf(steps, /allure-history\.sh restore$/));
  expect(at).toBeLessThan(indexOf(steps, /^npm run report /));
  expect(steps[at].if, 'it runs after a red suite too').toBe('${{ !cancelled() }}');
  expect(steps[at].env).toEqual({ TRANSAK_FAIL_ON_CHANGE: '${{ vars.TRANSAK_FAIL_ON_CHANGE }}' });
  const script = readFileSync(join(ROOT, '.github/scripts/allure-history.sh'), 'utf8');
  expect(/^files=\((.*)\)$/m.exec(script)?.[1].split(' ')).toContain('fingerprints.jsonl');
});

test('the gate restores its record before the suite, hands the suite its opt-in, and saves the record after', () => {
  const gate = byFile('release-gate.yml');
  const steps = gate.jobs.gate.steps ?? [];
  const restore = indexOf(steps, /^actions\/cache\/restore@/);
  const suite = indexOf(steps, /^npm run test:api /);
  const save = indexOf(steps, /^actions\/cache\/save@/);
  expect([restore >= 0, restore < suite, save > suite], 'restore, the suite, save: in this order').toEqual([true, true, true]);
  expect([steps[restore].with?.path, steps[save].with?.path]).toEqual(['allure-history', 'allure-history']);
  // Entries cannot be overwritten: each gate saves its own key, and the next restores the newest of the family.
  expect(steps[save].with?.key).toBe(steps[restore].with?.key);
  expect(String(steps[restore].with?.key).startsWith(String(steps[restore].with?.['restore-keys']))).toBe(true);
  expect(steps[save].if).toBe("${{ !cancelled() && hashFiles('allure-history/fingerprints.jsonl') != '' }}");
  expect(steps[suite].env?.TRANSAK_FAIL_ON_CHANGE).toBe('${{ inputs.fail-on-change }}');
  expect(
    (gate.on as { workflow_call: { inputs: Record<string, { default?: string }> } }).workflow_call.inputs['fail-on-change'].default,
  ).toBe('');
});
