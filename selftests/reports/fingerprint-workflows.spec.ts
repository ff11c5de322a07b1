/**
 * The fingerprint's wiring in CI, checked without running it: the nightly fingerprints the merged
 * run before building the report and keeps the record on the allure-history branch; the gate
 * restores its record from CI's cache before the suite and saves it after, under one key family.
 */
import { expect, test } from '../fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers/repo-paths';
import { loadWorkflow, stepIndex } from './workflow-checks';

const [nightly, gate] = ['nightly.yml', 'release-gate.yml'].map(loadWorkflow);

test('the nightly fingerprints the merged run after restoring the record and before the report, and keeps it on the branch', () => {
  const at = (match: RegExp) => stepIndex(nightly, 'report', match);
  const fingerprint = at(/^npm run fingerprint -- all-allure-results$/);
  expect(fingerprint, 'a fingerprint step over every shard’s results').toBeGreaterThan(at(/allure-history\.sh restore$/));
  expect(fingerprint).toBeLessThan(at(/^npm run report /));
  const steps = nightly.jobs.report.steps!;
  expect(steps[fingerprint].if, 'it runs after a red suite too').toBe('${{ !cancelled() }}');
  expect(steps[fingerprint].env).toEqual({ TRANSAK_FAIL_ON_CHANGE: '${{ vars.TRANSAK_FAIL_ON_CHANGE }}' });
  const script = readFileSync(join(ROOT, '.github/scripts/allure-history.sh'), 'utf8');
  expect(/^files=\((.*)\)$/m.exec(script)?.[1].split(' ')).toContain('fingerprints.jsonl');
});

test('the gate restores its record before the suite, hands the suite its opt-in, and saves the record after', () => {
  const steps = gate.jobs.gate.steps!;
  const [restore, suite, save] = [/^actions\/cache\/restore@/, /^npm run test:api /, /^actions\/cache\/save@/].map((match) =>
    stepIndex(gate, 'gate', match),
  );
  expect([restore >= 0, restore < suite, save > suite], 'restore, the suite, save: in this order').toEqual([true, true, true]);
  expect([steps[restore].with?.path, steps[save].with?.path]).toEqual(['allure-history', 'allure-history']);
  // Entries cannot be overwritten: each gate saves its own key, and the next restores the newest of the family.
  expect(steps[save].with?.key).toBe(steps[restore].with?.key);
  expect(String(steps[restore].with?.key).startsWith(String(steps[restore].with?.['restore-keys']))).toBe(true);
  expect(steps[save].if).toBe("${{ !cancelled() && hashFiles('allure-history/fingerprints.jsonl') != '' }}");
  expect(steps[suite].env?.TRANSAK_FAIL_ON_CHANGE).toBe('${{ inputs.fail-on-change }}');
  expect(gate.on).toMatchObject({ workflow_call: { inputs: { 'fail-on-change': { default: '' } } } });
});
