// server.ts as a process: the ready line the test config waits for, the profile and faults lines,
// the exit code of a bad invocation, and a clean stop on SIGTERM. The only emulator self-test that
// listens (on loopback, on a free port).
import { MODES } from '../../emulator/faults';
import { expect, test } from '../fixtures';
import { API_KEY, LOGIN_PATH, PARTNER_HEADERS, emptyMaildir } from '../support/emulator-client';

const READY = /^transak emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m;
const LOCAL = { EMULATOR_PORT: '0', EMULATOR_HOST: '127.0.0.1' };

test('prints the ready line and the faults line, serves the flow, stops cleanly on SIGTERM', async ({ emulatorProcess }) => {
  const server = emulatorProcess({ faults: ['logout-201', 'slow-logout'], env: LOCAL });
  const base = await server.ready;
  await expect
    .poll(() => server.stdout().trim().split('\n'))
    .toEqual([expect.stringMatching(READY), 'emulator faults: logout-201,slow-logout']);
  const res = await fetch(`${base}${LOGIN_PATH}`, {
    method: 'POST',
    headers: { ...PARTNER_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: API_KEY, email: 'ready@example.test' }),
  });
  expect(res.status).toBe(200);
  expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  expect(server.stderr()).toBe('');
});

test('without faults only the ready line is printed; SIGINT stops it', async ({ emulatorProcess }) => {
  const server = emulatorProcess({ env: LOCAL });
  await server.ready;
  await new Promise((r) => setTimeout(r, 200));
  expect(server.stdout().trim().split('\n')).toHaveLength(1);
  expect((await server.stop('SIGINT')).code).toBe(0);
});

test('an unknown fault mode is one line on stderr and exit code 2', async ({ emulatorProcess }) => {
  const server = emulatorProcess({ faults: ['slow-logout', 'bogus'], env: LOCAL });
  expect((await server.exited).code).toBe(2);
  expect(server.stdout()).toBe('');
  // One line that lists the whole catalogue, to its last mode.
  expect(server.stderr()).toMatch(/^emulator: unknown fault mode "bogus"; known: logout-204-no-body, [^\n]*\n$/);
  expect(server.stderr()).toContain(`, ${MODES[MODES.length - 1].name}\n`);
});

test('the staging profile says so on a line of its own; without its Maildir it stops with one line', async ({
  emulatorProcess,
}, testInfo) => {
  const maildir = emptyMaildir(testInfo.outputPath());
  const staging = { ...LOCAL, EMULATOR_ALLOWLIST: '127.0.0.1' };
  const server = emulatorProcess({ args: ['--profile=staging'], env: { ...staging, EMULATOR_MAILDIR: maildir } });
  await server.ready;
  await expect.poll(() => server.stdout().trim().split('\n')).toEqual([expect.stringMatching(READY), 'emulator profile: staging']);

  const unmailed = emulatorProcess({ env: { ...staging, EMULATOR_PROFILE: 'staging' } });
  expect((await unmailed.exited).code).toBe(2);
  expect(unmailed.stderr()).toBe(
    "emulator: the staging profile delivers OTPs only by email: set EMULATOR_MAILDIR to the test mailbox's Maildir\n",
  );
});
