/**
 * The suite's verdicts do not depend on scheduling: the embedded emulator (started by the config's
 * webServer, as `npm run test:api` does) passes with one worker as with many, in any order; a bug is caught by
 * the same tests whatever the worker count; and each spec file passes on its own, so no test leans
 * on another's token or state.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type SuiteRun } from '../fixtures';
import { ROOT } from '../../helpers/repo-paths';

/** Rule 2's latest look at its shortest (the rule's 3 s): these runs judge scheduling, not late revocation. */
const QUICK = { TRANSAK_R2_LATE_LOOK_MS: '3000' };

/** Four workers, and Playwright's shuffle of the test order (a fixed seed, so a failure can be replayed). */
const SHUFFLED_FOUR = ['--workers=4', '--shuffle=20261129'];

/** The rule 2 tests, one per logout body shape: each looks at the token with every operation. */
const LOGOUT_SHAPE_TITLES = [
  /^a token logged out with a JSON \{ apiKey \}/,
  /^a token logged out with an empty JSON object/,
  /^a token logged out with no body/,
];

function failedTitles(run: SuiteRun): string[] {
  return run.failed.map((t) => t.title).sort();
}

test.describe('scheduling independence', () => {
  test.describe.configure({ timeout: 240_000 });

  test('the embedded emulator passes the whole suite with one worker in declared order, as with four in shuffled order', async ({
    runSuite,
  }) => {
    const [one, four] = await Promise.all([runSuite({ env: QUICK, args: ['--workers=1'] }), runSuite({ env: QUICK, args: SHUFFLED_FOUR })]);
    for (const run of [one, four]) {
      expect(
        run.failed.map((t) => `${t.title}: ${t.errors[0]}`),
        run.output.slice(-1500),
      ).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.tests.length).toBeGreaterThanOrEqual(20);
    }
    expect(one.tests.map((t) => t.title).sort()).toEqual(four.tests.map((t) => t.title).sort());
  });

  // The second mode kills a token that a test only borrowed (tokens are handed on between tests):
  // the blame must stay with the test that killed it, never move to the test that got it next.
  const BUGS: Array<[string, RegExp[]]> = [
    ['refresh-ignores-revocation', LOGOUT_SHAPE_TITLES],
    ['get-logs-out', [/^GET on the logout path answers 4xx and logs nobody out$/]],
  ];
  for (const [mode, expected] of BUGS) {
    test(`a bug (${mode}) is caught by the same tests, and only those, with one worker as with four in shuffled order`, async ({
      runningEmulator,
      runSuite,
    }) => {
      const emulator = await runningEmulator({ faults: [mode], env: { EMULATOR_OTP_COOLDOWN_MS: '1000' } });
      const env = { ...QUICK, TRANSAK_BASE_URL: emulator.url, TRANSAK_OTP_COOLDOWN_MS: '1000' };
      const [one, four] = await Promise.all([runSuite({ env, args: ['--workers=1'] }), runSuite({ env, args: SHUFFLED_FOUR })]);
      expect(failedTitles(one)).toEqual(expected.map((title) => expect.stringMatching(title)));
      expect(failedTitles(four)).toEqual(failedTitles(one));
    });
  }

  const specFiles = readdirSync(join(ROOT, 'tests')).filter((name) => name.endsWith('.spec.ts'));

  test(`each of the ${specFiles.length} spec files passes on its own`, async ({ runningEmulator, runSuite }) => {
    const emulator = await runningEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: '1000' } });
    // Two files at a time: each run is mostly waiting, and two runners are what two cores carry.
    for (let i = 0; i < specFiles.length; i += 2) {
      const files = specFiles.slice(i, i + 2);

      const runs = await test.step(files.join(', '), () =>
        Promise.all(
          files.map((file) =>
            runSuite({
              env: { ...QUICK, TRANSAK_BASE_URL: emulator.url, TRANSAK_OTP_COOLDOWN_MS: '1000' },
              args: [`tests/${file}`, '--workers=2'],
            }),
          ),
        ),
      );

      for (const [j, run] of runs.entries()) {
        expect(
          run.failed.map((t) => t.title),
          `${files[j]} alone`,
        ).toEqual([]);
        expect(run.tests.filter((t) => t.status === 'passed').length, `${files[j]} alone ran its tests`).toBeGreaterThan(0);
      }
    }
  });
});
