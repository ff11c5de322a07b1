// The fault catalogue's shape, and proof that every mode changes what a client sees. Which rule a
// mode breaks is written once, in emulator/faults.ts; the kill matrix proves that rule catches it.
import type { LightMyRequestResponse } from 'fastify';
import { RULE_IDS } from '../../helpers/rules';
import { buildApp } from '../../emulator/app';
import {
  MODES,
  REVOCATION_DELAY_MS,
  REVOCATION_WEARS_OFF_MS,
  SLOW_LOGOUT_MS,
  UnknownFaultModeError,
  assertKnownModes,
} from '../../emulator/faults';
import { expect, test } from '../fixtures';
import type { EmulatorOptions } from '../../emulator/options';
import { KILL_MATRIX_TOKEN_TTL_SECONDS } from '../../emulator/policies';
import { API_KEY, ManualClock, tokenVariants, type EmulatorClient } from '../support/emulator-client';

test('mode names are unique, bugs name a rule, combined bugs name what they also report', () => {
  expect(new Set(MODES.map((m) => m.name)).size).toBe(MODES.length);
  for (const mode of MODES) {
    expect(mode.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(mode.summary.length, mode.name).toBeGreaterThan(10);
    expect(mode.overrides.length, `${mode.name} overrides nothing`).toBeGreaterThan(0);
    if (mode.kind === 'bug') {
      expect(RULE_IDS, mode.name).toContain(mode.rule);
      for (const name of mode.alsoReports ?? []) expect(name, mode.name).toMatch(/^[a-z]+(_[a-z]+)+$/);
      // The kill matrix holds a combined mode's rule test to token_not_rejected: a hidden revocation bug.
      if (mode.alsoReports) expect(mode.rule, mode.name).toBe('R2');
    }
  }
});

test('every verdict rule has a bug mode, and some modes are allowed', () => {
  const bugs = MODES.filter((m) => m.kind === 'bug');
  expect(new Set(bugs.map((m) => m.rule))).toEqual(new Set(RULE_IDS));
  expect(bugs.length).toBeGreaterThanOrEqual(20);
  expect(MODES.filter((m) => m.kind === 'allowed').length).toBeGreaterThanOrEqual(5);
});

test('an unknown mode name is refused before anything runs', () => {
  expect(() => assertKnownModes(['logout-201', 'no-such-mode'])).toThrow(UnknownFaultModeError);
  expect(() => assertKnownModes(['no-such-mode'])).toThrow(/^unknown fault mode "no-such-mode"; known: logout-204-no-body, /);
  expect(() => buildApp({ faults: ['no-such-mode'] })).toThrow(UnknownFaultModeError);
});

test('modes combine', async ({ newClient }) => {
  const client = newClient({ faults: ['logout-201', 'token-echoed-in-header'] });
  const token = await client.token();
  expect((await client.logout(token)).statusCode).toBe(201);
  expect((await client.user(token)).headers['x-rejected-token']).toBe(token);
});

/**
 * A fixed walk through everything a mode may bend (token variants, other methods, body shapes,
 * revocation at once and later, other users, overlapping logouts, latency), one line per answer.
 * Values that differ from run to run (tokens, ids, times) are masked, so the reference server's
 * walk is always the same and any difference is the mode's doing.
 */
async function walk(client: EmulatorClient, clock: ManualClock): Promise<string[]> {
  const lines: string[] = [];
  const note = async (step: string, answer: Promise<LightMyRequestResponse>): Promise<void> => {
    const started = Date.now();
    const res = await answer;
    const slow = Date.now() - started >= SLOW_LOGOUT_MS - 200 ? ' (slow)' : '';
    lines.push(`${step}: ${seen(res)}${slow}`);
  };
  const token = (name: string) => client.token(`${name}@example.test`);
  const [alice, aliceAgain, bob] = [await token('alice'), await token('alice'), await token('bob')];
  await note('user(alice)', client.user(alice));
  await note('refresh(alice)', client.refresh(alice));
  for (const [name, value] of await tokenVariants(alice)) {
    await note(`user(${name})`, client.user(value));
    await note(`refresh(${name})`, client.refresh(value));
    await note(`logout(${name})`, client.logout(value));
  }
  for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
    const other = await token(method.toLowerCase());
    await note(`${method} logout`, client.logout(other, { method }));
    await note(`user after ${method}`, client.user(other));
  }
  for (const body of [{}, { apiKey: API_KEY }]) {
    const other = await token(`body${Object.keys(body).length}`);
    await note(`logout with ${JSON.stringify(body)}`, client.logout(other, { payload: body }));
    await note(`user after ${JSON.stringify(body)}`, client.user(other));
  }
  await note('logout(alice)', client.logout(alice));
  await note('user(alice) at once', client.user(alice));
  await note('refresh(alice) at once', client.refresh(alice));
  await note('logout(alice) again', client.logout(alice));
  await note('user(bob)', client.user(bob));
  await note("user(alice's other session)", client.user(aliceAgain));
  clock.advance(REVOCATION_DELAY_MS + REVOCATION_WEARS_OFF_MS);
  await note('user(alice) later', client.user(alice));
  // Past the shortest token lifetime a mode sets: a live token outlives it only on a 30-day server.
  clock.advance(KILL_MATRIX_TOKEN_TTL_SECONDS * 1000);
  await note('user(bob) a short lifetime later', client.user(bob));
  const contested = await token('contested');
  const statuses = (await Promise.all([1, 2, 3].map(() => client.logout(contested)))).map((r) => r.statusCode);
  // Which overlapping call wins is scheduling; whether any fails or succeeds is the server's.
  lines.push(`3 logouts at once: ${statuses.some((s) => s >= 500) ? 'a 5xx' : 'no 5xx'}, ${statuses.includes(200) ? 'a 200' : 'no 200'}`);
  return lines;
}

const UNREMARKABLE_HEADERS = new Set(['date', 'content-length', 'connection', 'keep-alive', 'transfer-encoding']);

function seen(res: LightMyRequestResponse): string {
  const headers = Object.entries(res.headers)
    .filter(([name]) => !UNREMARKABLE_HEADERS.has(name))
    .map(([name, value]) => `${name}=${String(value)}`)
    .sort();
  return masked(`${res.statusCode} [${headers.join('; ')}] ${res.body}`);
}

function masked(text: string): string {
  return text
    .replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '<jwt>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>');
}

/** The walk against a fresh emulator with these faults, on a clock of its own. */
function walkWith(newClient: (options: EmulatorOptions) => EmulatorClient, faults: string[]): Promise<string[]> {
  const clock = new ManualClock();
  return walk(newClient({ faults, clock: clock.read, otpCooldownMs: 0 }), clock);
}

/** The reference server's walk, taken once per worker: the first test below proves it the same on every run. */
let referenceWalk: Promise<string[]> | undefined;

test.describe('every mode changes what a client sees', () => {
  test('the walk is the same on every run of the reference server', async ({ newClient }) => {
    expect(await walkWith(newClient, [])).toEqual(await walkWith(newClient, []));
  });

  for (const mode of MODES) {
    test(mode.name, async ({ newClient }) => {
      referenceWalk ??= walkWith(newClient, []);
      const [reference, changed] = await Promise.all([referenceWalk, walkWith(newClient, [mode.name])]);
      expect(changed, `${mode.name} changed nothing a client can see`).not.toEqual(reference);
    });
  }
});
