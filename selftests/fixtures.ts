/**
 * The self-tests' fixture module: the emulator in process (Fastify inject, nothing listens) and as
 * a process (server.ts on a free loopback port). Whatever a test asks for is closed or stopped
 * after it, pass or fail; no spec manages an emulator's lifecycle itself.
 */
import { test as base, expect } from '@playwright/test';
import type { EmulatorOptions } from '../emulator/options';
import { startDovecot, type RunningDovecot } from '../scripts/dovecot';
import { EmulatorClient, ManualClock } from './support/emulator-client';
import { spawnEmulator, type EmulatorProcess, type EmulatorStart, type RunningEmulator } from '../scripts/emulator-process';

interface SelfTestFixtures {
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
}

export const test = base.extend<SelfTestFixtures>({
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
});

export { expect };
