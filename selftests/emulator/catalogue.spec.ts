import { expect, test } from '@playwright/test';
import { buildApp } from '../../emulator/app';
import { CORRECT_FLAGS, MODES, UnknownFaultModeError, flagsFor } from '../../emulator/faults';

const REQUIRED: Record<string, string> = {
  'logout-204-no-body': 'R1',
  'logout-201': 'R1',
  'logout-200-without-data': 'R1',
  'logout-message-not-string': 'R1',
  'logout-text-plain': 'R1',
  'logout-does-not-revoke': 'R2',
  'user-details-ignores-revocation': 'R2',
  'refresh-ignores-revocation': 'R2',
  'logout-replay-accepted': 'R2',
  'revocation-delayed': 'R2',
  'revocation-wears-off': 'R2',
  'rejection-without-error-wrapper': 'R2',
  'rejection-status-mismatch': 'R2',
  'rejection-as-200': 'R2',
  'logout-400-without-name': 'R2',
  'missing-header-accepted': 'R3',
  'empty-header-accepted': 'R3',
  'random-token-accepted': 'R3',
  'signature-not-checked': 'R3',
  'alg-none-accepted': 'R3',
  'missing-header-500': 'R3',
  'bearer-prefix-500': 'R3',
  'token-echoed-in-body': 'R4',
  'token-echoed-in-header': 'R4',
  'user-details-500-after-logout': 'R4',
  'get-logs-out': 'R5',
  'other-methods-accepted': 'R5',
  'logout-revokes-all-users': 'R6',
  'concurrent-logout-500': 'R7',
  'slow-logout': 'R8',
};
const REQUIRED_ALLOWED = [
  'reject-as-400',
  'reject-as-403',
  'error-codes-shape',
  'bad-signature-403',
  'extra-fields-and-charset',
  'bearer-tolerated',
  'same-user-sessions-revoked',
];

test('the catalogue has every required mode, with its rule', () => {
  const byName = new Map(MODES.map((m) => [m.name, m]));
  for (const [name, rule] of Object.entries(REQUIRED)) {
    expect(byName.get(name), name).toMatchObject({ kind: 'bug', rule });
  }
  for (const name of REQUIRED_ALLOWED) {
    const mode = byName.get(name);
    expect(mode, name).toMatchObject({ kind: 'allowed' });
    expect(mode?.rule, name).toBeUndefined();
  }
});

test('mode names are unique, bugs name a rule, and every mode changes something', () => {
  expect(new Set(MODES.map((m) => m.name)).size).toBe(MODES.length);
  for (const mode of MODES) {
    expect(mode.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    if (mode.kind === 'bug') expect(mode.rule, mode.name).toMatch(/^R[1-8]$/);
    expect(mode.summary.length, mode.name).toBeGreaterThan(10);
    expect(flagsFor([mode.name]), mode.name).not.toEqual(CORRECT_FLAGS);
  }
});

test('no modes means correct behaviour; modes combine', () => {
  expect(flagsFor([])).toEqual(CORRECT_FLAGS);
  const combined = flagsFor(['logout-201', 'slow-logout']);
  expect(combined.logoutStatus).toBe(201);
  expect(combined.logoutDelayMs).toBe(1700);
});

test('flagsFor and buildApp throw on an unknown mode name', () => {
  expect(() => flagsFor(['logout-201', 'no-such-mode'])).toThrow(UnknownFaultModeError);
  expect(() => flagsFor(['no-such-mode'])).toThrow(/^unknown fault mode "no-such-mode"; known: logout-204-no-body, /);
  expect(() => buildApp({ faults: ['no-such-mode'] })).toThrow(UnknownFaultModeError);
});
