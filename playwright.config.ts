import { defineConfig } from '@playwright/test';
import { config as loadDotenv } from 'dotenv';
import { remoteRequired } from './helpers/config';
import { EMBEDDED_OTP_COOLDOWN_MS, EMULATOR_COMMAND, EMULATOR_READY_LINE } from './helpers/embedded-emulator';
import { reportEnvironment } from './helpers/report-environment';
import { reportLabelsListener } from './helpers/report-labels';
import { COMPILE_CACHE } from './helpers/repo-paths';

// TRANSAK_ENV_FILE points at another file (the self-tests point it at none, to keep a developer's .env out).
loadDotenv({ quiet: true, path: process.env.TRANSAK_ENV_FILE ?? '.env' });
// The workers start at once on two cores: compiled code kept from earlier runs starts them sooner.
process.env.NODE_COMPILE_CACHE ??= COMPILE_CACHE;

/** Rule 2's spec file: its test looks at logged-out tokens again 3 and 5 s later (more on staging). */
const RULE_2_LOOKS = 'token-revocation';

/**
 * Dispatch order against a real target, in four waves (Playwright starts projects in order, and a `--shard` takes a
 * contiguous slice of that order). The tests that wait longest open each half, in workers of their
 * own, so their waits overlap instead of queueing: rule 8 (five tokens, so logins that wait out the
 * OTP cooldown) and rule 2 (its late looks) open the first half; rule 6's second login of one
 * address opens the second, which is where the nightly's second shard starts (its other test ends
 * the first). Each half keeps a test that logs out a handed-on token, so no token is left live. A self-test
 * (selftests/suite/dispatch-order.spec.ts) keeps each long wait at the head of its shard.
 */
const WAVES: Array<{ name: string; files: string[] }> = [
  { name: 'long waits', files: ['logout-latency', RULE_2_LOOKS] },
  { name: 'quick', files: ['concurrent-logout', 'logout-success', 'other-methods'] },
  { name: 'long waits, second half', files: ['user-isolation'] },
  { name: 'quick, second half', files: ['malformed-tokens', 'no-server-errors'] },
];

const specFile = (file: string): string => `**/${file}.spec.ts`;

// No base URL means: test the embedded emulator, started here on a free loopback port. Never
// where a remote target is required (the release gate): the preflight then stops the run.
const useEmbeddedEmulator = !process.env.TRANSAK_BASE_URL?.trim() && !remoteRequired();

// Against the embedded emulator only rule 2's looks wait: its generated pool has a fresh address for
// every login, so rule 8 waits out no cooldown. Rule 2's file goes first and one project holds the
// rest. A worker serves one project only, so each wave more would start workers of its own: this way
// two start in all (one for rule 2's test, one for the rest), one per core. Starting a worker is most
// of what the suite costs beyond its waits, and the rest need less time than rule 2's looks.
const waves = useEmbeddedEmulator ? [{ ...WAVES[0], files: [RULE_2_LOOKS] }] : WAVES;

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // Judging a server allows no retry: a retry can turn a real intermittent bug into a pass.
  retries: 0,
  // The tests wait on the network, not the CPU: four workers overlap the waits on two cores (against
  // a real target, whose logins wait out OTP cooldowns); two against the embedded emulator (above).
  workers: useEmbeddedEmulator ? 2 : 4,
  timeout: 90_000,
  outputDir: 'test-results',
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'reports/playwright-html' }],
    // includeRetries: a pass on retry (nightly) is a <flakyFailure>, not a plain pass.
    ['junit', { outputFile: 'reports/junit.xml', includeRetries: true }],
    // The runner's own account of the run, tags included: scripts/job-summary.ts reads it.
    ['json', { outputFile: 'reports/results.json' }],
    // Labels (epic, feature, story = verdict rule, severity, tags, reference link) for every test: helpers/report-labels.ts.
    ['allure-playwright', { resultsDir: 'allure-results', environmentInfo: reportEnvironment(), listeners: [reportLabelsListener] }],
    // PW_BLOB=1 (a CI shard): also a blob report for `playwright merge-reports`, keeping the others.
    ...(process.env.PW_BLOB === '1' ? [['blob'] as ['blob']] : []),
  ],
  // Traces record request headers (the token); this suite keeps them off.
  use: { trace: 'off' },
  // One login before any test: a bad configuration or target stops the run with one line (helpers/preflight.ts).
  globalSetup: './helpers/preflight.ts',
  projects: [
    ...waves.map(({ name, files }) => ({ name, testMatch: files.map(specFile) })),
    // A spec file no wave names still runs, last: a new file is never left out of the suite.
    { name: 'logout-api', testMatch: '**/*.spec.ts', testIgnore: waves.flatMap(({ files }) => files.map(specFile)) },
  ],
  webServer: useEmbeddedEmulator
    ? {
        command: EMULATOR_COMMAND.join(' '),
        wait: { stdout: EMULATOR_READY_LINE },
        env: { EMULATOR_OTP_COOLDOWN_MS: String(EMBEDDED_OTP_COOLDOWN_MS) },
        gracefulShutdown: { signal: 'SIGTERM', timeout: 2000 },
        timeout: 30_000,
        stdout: 'ignore',
        stderr: 'pipe',
      }
    : undefined,
});
