import { defineConfig } from '@playwright/test';
import { COMPILE_CACHE } from '../helpers/repo-paths';

process.env.NODE_COMPILE_CACHE ??= COMPILE_CACHE;

/**
 * The suite's self-tests (`npm test`): unit tests of the helpers, the emulator and the project's
 * tooling, then the real suite run as a child process against the emulator: correct, in every fault
 * mode (the kill matrix), under network noise, over IMAP; then the reports it writes. The full
 * 20-pass soak has its own command and config (`npm run soak`, soak.config.ts).
 */
export default defineConfig({
  testDir: '.',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // A self-test proves the suite; a retry would hide a flaky outcome.
  retries: 0,
  // Most self-tests wait on a suite that waits on the network: four at once keep two cores busy.
  // Projects whose tests each run a whole suite (or two) are capped, so the machine never thrashes.
  workers: 4,
  // A timeout catches a hang, not a slow machine: a self-test that starts a suite takes 20 s on a
  // quiet machine and several times that on a busy one, and CI machines are busy.
  timeout: 120_000,
  outputDir: '../test-results/selftests',
  reporter: [['list'], ['json', { outputFile: '../reports/selftests.json' }], ['./kill-matrix/matrix-reporter.ts']],
  // Playwright starts projects in this order: the longest chains first (a whole suite per test, and
  // the reports' real runs), so their waits overlap; the unit tests, short and free to take every
  // worker, fill the end instead of holding the long chains back.
  projects: [
    // The longest single test (one run of the suite against every target); the rows judge what it
    // met, in parallel, after it.
    { name: 'kill-matrix-run', testMatch: /kill-matrix\/matrix-run\.spec\.ts$/ },
    // The soak (never-cry-wolf) is `npm run soak`'s: the matrix run's noise and reference targets cover npm test.
    { name: 'staging-readiness', testMatch: /staging\/.*\.spec\.ts$/, testIgnore: /never-cry-wolf\.spec\.ts$/, workers: 2 },
    {
      name: 'reports',
      testMatch: /reports\/.*\.spec\.ts$/,
      workers: 2,
      // Chromium parses a 4 MB single-file Allure report and renders it with JS: seconds on a busy
      // CI machine (CI once missed the title after 5 s). A wait for a page, not a speed check.
      expect: { timeout: 30_000 },
    },
    { name: 'unit', testMatch: /(unit|emulator|tooling)\/.*\.spec\.ts$/ },
    { name: 'suite', testMatch: /suite\/.*\.spec\.ts$/, workers: 2 },
    {
      name: 'kill-matrix',
      testMatch: /kill-matrix\/.*\.spec\.ts$/,
      testIgnore: /matrix-run\.spec\.ts$/,
      dependencies: ['kill-matrix-run'],
    },
  ],
});
