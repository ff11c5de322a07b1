/**
 * Every self-test's `test` and `expect`: the emulator in process (Fastify inject) and as a process
 * (server.ts on a free loopback port), and the real suite as a child process (`runSuite`), read from
 * its JSON report. Whatever a test asks for is closed or stopped after it, pass or fail.
 */
import { test as base, expect } from '@playwright/test';
import type { EmulatorOptions } from '../emulator/options';
import { startDovecot, type RunningDovecot } from '../scripts/dovecot';
import type { ReportTest } from '../scripts/json-report';
import { runPlaywrightTest, type PlaywrightTestOptions } from '../scripts/scratch-run';
import { EmulatorClient, ManualClock } from './support/emulator-client';
import { spawnEmulator, type EmulatorProcess, type EmulatorStart, type RunningEmulator } from '../scripts/emulator-process';

/** A test of the suite's run, with `message`: the first line of its first error, the one line a user reads. */
export type TestOutcome = ReportTest & { message: string };

/**
 * Rule 8's objective in the self-tests' suites, unless one sets its own: on busy shared cores a logout
 * can wait seconds for the CPU, which says nothing about a server. Where the threshold is the point it
 * is set (the kill matrix's rule-8 bug keeps the suite's default; the report self-tests set 1 ms).
 */
export const UNTIMED_LOGOUT_SLO = { LOGOUT_SLO_MS: '30000' };

/** The tests that failed or timed out. */
export const failedOf = (tests: TestOutcome[]): TestOutcome[] => tests.filter((t) => t.status === 'failed' || t.status === 'timedOut');

/** The suite in this project; reporters besides the JSON one only when asked (no HTML or Allure writes). */
async function runSuite({ reporters = [], ...options }: PlaywrightTestOptions = {}) {
  const run = await runPlaywrightTest({ reporters, ...options, env: { ...UNTIMED_LOGOUT_SLO, ...options.env } });
  const tests: TestOutcome[] = run.tests.map((t) => ({
    ...t,
    errors: t.errors.map((m) => m.split('\n').slice(0, 6).join(' ').trim()),
    message: (t.errors[0] ?? '').trim().split('\n')[0].trim(),
  }));
  return {
    ...run,
    tests,
    failed: failedOf(tests),
    /** Errors outside any test, first line each: a failed preflight (global setup) lands here. */
    globalErrors: run.errors.map((m) => m.split('\n')[0]),
  };
}
export type RunSuite = typeof runSuite;
export type SuiteRun = Awaited<ReturnType<RunSuite>>;

const PREFLIGHT_LEAD = 'PreflightError: preflight failed, nothing was tested: ';

/** The run stopped at its preflight with one line (`line` after the lead-in: its start, or a pattern), and ran no test. */
export function expectStoppedAtPreflight(run: SuiteRun, line: string | RegExp): void {
  expect(run.globalErrors, run.output.slice(-1500)).toHaveLength(1);
  const [error] = run.globalErrors;
  expect(error.startsWith(PREFLIGHT_LEAD), error).toBe(true);
  if (typeof line === 'string') expect(error.slice(PREFLIGHT_LEAD.length).startsWith(line), error).toBe(true);
  else expect(error.slice(PREFLIGHT_LEAD.length)).toMatch(line);
  expect(run.output, 'one line, not a stack trace').not.toMatch(/^\s+at .*\.ts:\d+/m);
  expect(run.exitCode).not.toBe(0);
  expect(
    run.tests.filter((t) => t.status !== 'skipped').map((t) => `${t.title}: ${t.status}`),
    'no test ran',
  ).toEqual([]);
}

export const test = base.extend<{
  /** Options of `client`: `test.use({ emulatorOptions: { ... } })`. */
  emulatorOptions: EmulatorOptions;
  /** A clock the test moves by hand; pass `clock.read` as an emulator's `clock`. */
  clock: ManualClock;
  /** In-process emulators, one per call (a fault mode each, say). */
  newClient: (options?: EmulatorOptions) => EmulatorClient;
  /** The in-process emulator built with `emulatorOptions`. */
  client: EmulatorClient;
  /** server.ts processes, one per call; `await emulator.ready` gives the base URL. */
  emulatorProcess: (start?: EmulatorStart) => EmulatorProcess;
  /** A server.ts process, started and ready: its URL, its output, and stop() (also done after the test). */
  runningEmulator: (start?: EmulatorStart) => Promise<RunningEmulator>;
  /** A real IMAP server (dovecot) with one mailbox: its Maildir for EMULATOR_MAILDIR, its URL for TRANSAK_OTP_IMAP_URL. */
  mailbox: RunningDovecot;
  /** The real suite (`playwright test`, this project's config) as a child process, read from its JSON report. */
  runSuite: RunSuite;
}>({
  emulatorOptions: [{}, { option: true }],

  clock: async ({}, use) => use(new ManualClock()),

  newClient: [
    async ({}, use) => {
      const clients: EmulatorClient[] = [];
      await use((options = {}) => {
        const client = new EmulatorClient(options);
        clients.push(client);
        return client;
      });
      await Promise.all(clients.map((client) => client.close()));
    },
    { box: true, title: 'in-process emulators' },
  ],

  client: [async ({ newClient, emulatorOptions }, use) => use(newClient(emulatorOptions)), { box: true, title: 'in-process emulator' }],

  emulatorProcess: [
    async ({}, use) => {
      const started: EmulatorProcess[] = [];
      await use((start) => {
        const emulator = spawnEmulator(start);
        started.push(emulator);
        return emulator;
      });
      await Promise.all(started.map((emulator) => emulator.stop()));
    },
    { box: true, title: 'emulator processes' },
  ],

  runningEmulator: [
    async ({ emulatorProcess }, use) =>
      use(async (start) => {
        const emulator = emulatorProcess(start);
        return { url: await emulator.ready, output: emulator.output, stop: async () => void (await emulator.stop()) };
      }),
    { box: true, title: 'running emulator' },
  ],

  mailbox: [
    async ({}, use) => {
      const dovecot = await startDovecot();
      await use(dovecot);
      await dovecot.stop();
    },
    { box: true, title: 'IMAP mailbox (dovecot)' },
  ],

  runSuite: async ({}, use) => use(runSuite),
});

export { expect };
