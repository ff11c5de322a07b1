// `npm run rehearse -- --policies=…` reaches the emulator: the names parse, each turns on its
// policy, and an emulator started as the rehearsal starts it plays them all. A dry check: the
// rehearsal itself (minutes at the real cooldown) is selftests/staging/rehearsal.spec.ts's job.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures';
import { optionsFromEnv, resolveOptions, DEFAULT_API_KEY } from '../../emulator/options';
import { POLICY_NAMES, REFERENCE_POLICIES } from '../../emulator/policies';
import { countArg, rehearsalEmulator } from '../../scripts/rehearse';
import { REHEARSAL_RATE_LIMIT_EVERY, REHEARSAL_TOKEN_TTL_SECONDS, parsePolicies, policyEnv } from '../../scripts/rehearsal-policies';
import { ROOT, TSX } from '../../helpers/repo-paths';

test('--policies= names: all, a list, and one line for what cannot be', () => {
  expect(parsePolicies('all')).toEqual([
    'one-session-per-user',
    'rate-limited-429-retry-after',
    'short-token-lifetime',
    'refresh-needs-api-key-query',
  ]);
  expect(parsePolicies(' short-token-lifetime, one-session-per-user ,short-token-lifetime')).toEqual([
    'short-token-lifetime',
    'one-session-per-user',
  ]);
  expect(() => parsePolicies('all,short-token-lifetime')).toThrow(/^unknown policy "all"/);
  expect(() => parsePolicies('short-lived')).toThrow(/^unknown policy "short-lived" in --policies; known: all, one-session-per-user, /);
  expect(() => parsePolicies('rate-limited-429-retry-after,rate-limited-429-no-retry-after')).toThrow(/one rate limit/);
});

test('each policy alone turns on that policy in the emulator, and nothing else', () => {
  for (const name of POLICY_NAMES) {
    const { policies } = resolveOptions(optionsFromEnv(policyEnv([name]), []));
    const changed = Object.entries(policies).filter(([key, value]) => value !== REFERENCE_POLICIES[key as keyof typeof policies]);
    expect(changed, name).toHaveLength(1);
  }
  expect(resolveOptions(optionsFromEnv(policyEnv(['rate-limited-429-no-retry-after']), [])).policies.rateLimit).toEqual({
    every: REHEARSAL_RATE_LIMIT_EVERY,
    retryAfterSeconds: undefined,
  });
});

test('the emulator the rehearsal starts with --policies=all plays every policy, with its staging profile', async ({
  runningEmulator,
}, testInfo) => {
  const maildir = testInfo.outputPath('maildir');
  for (const sub of ['tmp', 'new', 'cur']) mkdirSync(join(maildir, sub), { recursive: true });
  const emulator = await runningEmulator(rehearsalEmulator(60_000, maildir, testInfo.outputPath('otp-stats.json'), parsePolicies('all')));
  await expect
    .poll(emulator.output)
    .toContain(
      `emulator policies: one session per user; 429 for one call in ${REHEARSAL_RATE_LIMIT_EVERY} of a caller (Retry-After 1 s); tokens live ${REHEARSAL_TOKEN_TTL_SECONDS} s; Refresh needs ?apiKey=`,
    );
  expect(emulator.output()).toContain('emulator profile: staging');
  // Refresh without the query is refused for the key (1001) before any token is looked at (1002).
  const refresh = await fetch(`${emulator.url}/api/v2/auth/refresh`, {
    headers: { 'x-api-key': DEFAULT_API_KEY, 'x-user-ip': '203.0.113.7', authorization: 'not-a-token' },
  });
  expect(refresh.status).toBe(401);
  expect(((await refresh.json()) as { error: { errorCode: number } }).error.errorCode).toBe(1001);
});

test('--addresses= and --cooldown-ms= counts: whole numbers above 0, and one line for what cannot be', () => {
  expect(countArg('addresses', undefined, 12)).toBeUndefined();
  expect(countArg('addresses', '12', 12)).toBe(12);
  for (const bad of ['0', '-3', '1.5', '12abc', '', 'ten']) {
    expect(() => countArg('addresses', bad, 12)).toThrow(`--addresses=${bad} is not a whole number above 0: give one, e.g. --addresses=12`);
  }
});

for (const [arg, line] of [
  ['--policies=nope', /^unknown policy "nope" in --policies; known: all, [a-z0-9-, ]+$/],
  ['--cooldown-ms=1e3', /^--cooldown-ms=1e3 is not a whole number above 0: give one, e.g. --cooldown-ms=60000$/],
] as const) {
  test(`npm run rehearse refuses ${arg} in one line, before it starts anything`, () => {
    const run = spawnSync(process.execPath, [TSX, 'scripts/rehearse.ts', arg], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(line);
  });
}
