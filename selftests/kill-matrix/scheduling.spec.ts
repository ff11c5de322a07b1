/**
 * Verdicts do not depend on scheduling, read from the matrix run: the same outcome with one worker as
 * with four, each spec file green on its own (no test leans on another's state), and nothing failed
 * by network noise.
 */
import { expect, test, type TestOutcome } from '../fixtures';
import { matrixTarget, noiseResets } from './matrix-results';
import { aloneTarget, FOUR_WORKER_MODES, fourWorkerTarget, NOISE_TARGETS, REFERENCE, SPEC_FILES } from './matrix-targets';

/**
 * What each bug mode must fail, whatever the worker count. get-logs-out kills a token a test only
 * borrowed: the blame stays with the test that killed it. A logout that ends every user's tokens, in
 * four workers, ends other tests' tokens too: a test whose token died before it acted "cannot judge",
 * so only rule 6's test is red; a rule-5 or rule-7 test judges again with new tokens, and may be red
 * only if its last one was ended as well (said in its 'judged again' annotation).
 */
const EXPECTED: Record<(typeof FOUR_WORKER_MODES)[number], RegExp[]> = {
  [REFERENCE]: [],
  'refresh-ignores-revocation': [/^a token logged out in each shape clients send/],
  'get-logs-out': [/^GET on the logout path answers 4xx and logs nobody out$/],
  'logout-revokes-all-users': [/^logging out one user's token leaves another user's token working$/],
};

/** The four-worker target where a failed test that judged again is the stated limit above, not a verdict that moved. */
const ENDS_EVERY_TOKEN = fourWorkerTarget('logout-revokes-all-users');

const failedTitles = (name: string): string[] =>
  titles(matrixTarget(name).failed.filter((t) => name !== ENDS_EVERY_TOKEN || !t.annotations.some((a) => a.type === 'judged again')));
const titles = (tests: TestOutcome[]): string[] => tests.map((t) => t.title).sort();

test.describe('scheduling independence', () => {
  for (const mode of FOUR_WORKER_MODES) {
    test(`${mode === REFERENCE ? 'the reference server passes' : `a bug (${mode}) is caught by the same tests, and only those,`} with one worker as with four`, () => {
      expect(failedTitles(mode)).toEqual(EXPECTED[mode].map((title) => expect.stringMatching(title)));
      expect(failedTitles(fourWorkerTarget(mode))).toEqual(failedTitles(mode));
      expect(titles(matrixTarget(fourWorkerTarget(mode)).tests), 'the same tests ran').toEqual(titles(matrixTarget(mode).tests));
    });
  }

  for (const file of SPEC_FILES) {
    test(`${file} passes on its own`, () => {
      const run = matrixTarget(aloneTarget(file));
      expect(run.failed.map((t) => `${t.title}: ${t.message}`)).toEqual([]);
      expect(run.runLevel).toBe('');
      expect(run.tests.filter((t) => t.status === 'passed').length, 'it ran its tests').toBeGreaterThan(0);
    });
  }

  test(`the whole suite under network noise (latency 0-200 ms, connection resets), ${NOISE_TARGETS.length} times: 0 failed, nothing skipped`, () => {
    for (const name of NOISE_TARGETS) {
      const run = matrixTarget(name);
      expect(run.runLevel, name).toBe('');
      expect(
        run.tests.filter((t) => t.status !== 'passed').map((t) => `${t.title}: ${t.status} ${t.message}`),
        `${name}: every test ran and passed`,
      ).toEqual([]);
    }
    expect(noiseResets(), 'the noise really reset connections').toBeGreaterThanOrEqual(1);
  });
});
