import { defineConfig } from '@playwright/test';

/**
 * The suite's self-tests: unit tests of the helpers and the emulator, then the real suite run as a
 * child process against the emulator (correct, and in every fault mode: the kill matrix).
 */
export default defineConfig({
  testDir: '.',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  outputDir: '../test-results/selftests',
  reporter: [['list'], ['json', { outputFile: '../reports/selftests.json' }]],
  projects: [{ name: 'unit', testMatch: /(unit|emulator)\/.*\.spec\.ts$/ }],
});
