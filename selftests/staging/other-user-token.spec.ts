/**
 * Rule 6's other-user test, where the second user's token belongs to another process: specs planted
 * in a copy of the project run the real check with the real token supply, depot and verdict steps.
 * - One session per user: ended by its owner's next login once, the check judges again with a new
 *   pair; twice, it "cannot judge" (red); a token refused with no later login is red at once.
 * - Tokens shorter than rule 2's latest look: a process that owns one address still borrows one for
 *   rule 6, and a taker that needs more puts it back rather than drop it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject } from '../../scripts/scratch-run';
import { expect, test, type RunSuite } from '../fixtures';
import { served } from '../support/emulator-client';

const COOLDOWN_MS = '1000';

const PLANTED = `import type { PlaywrightWorkerArgs } from '@playwright/test';
import { describeRule, test, type TokenSupply, type VerdictSteps } from '../helpers/fixtures';
import type { UserToken } from '../helpers/auth-flow';
import type { SuiteConfig } from '../helpers/config';
import { createRedactor } from '../helpers/redact';
import { createTransakApi } from '../helpers/transak-api';
import { expectAnotherUserUnaffected } from '../helpers/other-user-check';

type Disturb = (other: UserToken, tokens: TokenSupply) => Promise<unknown>;
/** Its owner logs the address in again: the ledger records the ask, and the gateway ends the token. */
const ownerLogsIn: Disturb = (other, tokens) => tokens.mint({ sameEmailAs: other.email });

/** The check, with \`disturb\` done to the second user's token before the logout or after it, on the first \`tries\` pairs. */
function raced(tokens: TokenSupply, verdict: VerdictSteps, moment: 'before' | 'after', tries: number, disturb: Disturb = ownerLogsIn) {
  let pair = 0;
  let other: UserToken | undefined;
  return expectAnotherUserUnaffected(
    {
      ...tokens,
      otherUser: async (email) => {
        other = await tokens.otherUser(email);
        pair += 1;
        if (moment === 'before' && pair <= tries) await disturb(other, tokens);
        return other;
      },
    },
    {
      ...verdict,
      logsOut: async (...args) => {
        const ex = await verdict.logsOut(...args);
        if (moment === 'after' && pair <= tries) await disturb(other!, tokens);
        return ex;
      },
    },
  );
}

describeRule('R6', () => {
  test('planted race: ended before the logout, once', ({ tokens, verdict }) => raced(tokens, verdict, 'before', 1));
  test('planted race: ended after the logout, once', ({ tokens, verdict }) => raced(tokens, verdict, 'after', 1));
  test('planted race: ended before the logout, twice', ({ tokens, verdict }) => raced(tokens, verdict, 'before', 2));
  test('planted race: ended after the logout, twice', ({ tokens, verdict }) => raced(tokens, verdict, 'after', 2));
  test('planted race: refused with no later login', ({ tokens, verdict, api }) =>
    raced(tokens, verdict, 'before', 2, (other) => api.logout(other.token)));
});

/** A logout this run never sees (no exchange log, no register): as another shard's, on a gateway whose logout ends every token. */
async function endedElsewhere(playwright: PlaywrightWorkerArgs['playwright'], config: SuiteConfig, token: string): Promise<void> {
  const elsewhere = createTransakApi(await playwright.request.newContext(), config, { redactor: createRedactor(), record: async () => undefined });
  await elsewhere.logout(token);
}

describeRule('R5', () => {
  test('planted hand-on: a borrowed token ended after the test last saw it work', async ({ tokens, verdict, playwright, suiteConfig }) => {
    const token = await tokens.borrow();
    await verdict.tokenWorks(token.token);
    await endedElsewhere(playwright, suiteConfig, token.token);
  });
  test('planted hand-on: a borrowed token ended after the test used it', async ({ tokens, verdict, api, playwright, suiteConfig }) => {
    const token = await tokens.borrow();
    await verdict.tokenWorks(token.token);
    await api.raw('PUT', '/api/v1/auth/logout', token.token);
    await endedElsewhere(playwright, suiteConfig, token.token);
  });
});
`;

/** A copy of the project with `spec` planted in tests/, run with one worker: the planted tests only. */
async function runPlanted(runSuite: RunSuite, dir: string, spec: string, env: Record<string, string>) {
  mkdirSync(dir, { recursive: true });
  copyProject(dir);
  writeFileSync(join(dir, 'tests', 'zz-planted.spec.ts'), spec);
  return runSuite({ cwd: dir, env: { TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS, ...env }, args: ['--workers=1', '--grep', 'planted'] });
}

test("rule 6 on a one-session gateway: the second user's token ended by its owner's next login is judged again once, then cannot judge; any other refusal is red; a borrowed token ended from outside the run after the test left it working is rule 6's finding", async ({
  newClient,
  runSuite,
}, testInfo) => {
  const url = await served(newClient({ oneSessionPerUser: true, otpCooldownMs: Number(COOLDOWN_MS) }));
  const run = await runPlanted(runSuite, testInfo.outputPath('project'), PLANTED, { TRANSAK_BASE_URL: url });
  const outcome = (title: string) => {
    const t = run.tests.find((x) => x.title === `planted race: ${title}`);
    const judgedAgain = t?.annotations.filter((a) => a.type === 'judged again').map((a) => a.description);
    return { status: t?.status, judgedAgain, message: t?.message ?? '', errors: t?.errors.join('\n') ?? '' };
  };
  const ENDED = "the second user's token was ended by a later login of its address";

  expect(run.globalErrors).toHaveLength(1);
  expect(run.globalErrors[0]).toContain('R6 · Logout ends one session');
  for (const [moment, why] of [
    ['before', `${ENDED} before the logout`],
    ['after', `${ENDED}, not by the logout`],
  ]) {
    const once = outcome(`ended ${moment} the logout, once`);
    expect(once).toMatchObject({ status: 'passed', judgedAgain: [`${why}: rule 6 is judged with a new pair`], message: '' });
    const twice = outcome(`ended ${moment} the logout, twice`);
    expect(twice.status, moment).toBe('failed');
    expect(twice.judgedAgain, moment).toHaveLength(1);
    expect(twice.errors, moment).toContain(`cannot judge: ${why}`);
  }
  const refused = outcome('refused with no later login');
  expect(refused.status).toBe('failed');
  expect(refused.judgedAgain, 'a refusal with no later login is never judged again').toEqual([]);
  expect(refused.message).toContain('a live token is accepted by Get User Details');
  // The hand-on blames a test for a borrowed token it returns dead, unless the test left it working:
  // then it was ended from outside the run, rule 6's finding (the run's one global error).
  const handOn = (title: string) => run.tests.find((t) => t.title === `planted hand-on: a borrowed token ended ${title}`);
  const leftWorking = handOn('after the test last saw it work');
  expect(leftWorking?.status).toBe('passed');
  expect(leftWorking?.annotations.find((a) => a.type === 'R6 met on the way')?.description).toMatch(
    /^token_ended_by_another_users_logout: the token worked \d+ ms before this refusal, and neither this test nor any logout of this run ended it since/,
  );
  expect(handOn('after the test used it')?.status).toBe('failed');
  expect(handOn('after the test used it')?.errors.join('\n')).toContain('a token this test never logged out still works');
});

const SHORT_LIVED = `import { describeRule, expect, test } from '../helpers/fixtures';
import type { TransakApi } from '../helpers/transak-api';
import { DEFAULT_OTP } from '../emulator/options';
import { expectAnotherUserUnaffected } from '../helpers/other-user-check';

/** A token of \`email\` logged in outside the token supply, as another process's would be handed on. */
async function loggedIn(api: TransakApi, email: string) {
  // The preflight logged the one address in moments ago: a worker that starts fast meets its cooldown once.
  let answer = await api.sendOtp(email);
  if (answer.status !== 200) {
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.TRANSAK_OTP_COOLDOWN_MS)));
    answer = await api.sendOtp(email);
  }
  const sent = answer.json as { data: { stateToken: string } };
  const verified = (await api.verifyOtp({ email, otp: DEFAULT_OTP, stateToken: sent.data.stateToken })).json as {
    data: { accessToken: string; ttl: number };
  };
  const mintedAt = Date.now();
  return { token: verified.data.accessToken, email, mintedAt, expiresAt: mintedAt + verified.data.ttl * 1000 };
}

describeRule('R6', () => {
  // First: the suite's own logins of the one address then wait out the cooldown this raw login started.
  test('planted: a token too short-lived for a taker stays in the depot', async ({ api, tokens, tokenDepot }) => {
    const own = await loggedIn(api, process.env.TRANSAK_EMAILS!);
    tokenDepot.put(own);
    expect((await tokens.mint()).token).not.toBe(own.token);
    expect(tokenDepot.take((email) => email === own.email)?.token).toBe(own.token);
  });

  test('planted: rule 6 borrows a handed-on token too short-lived for rule 2', async ({ api, tokens, tokenDepot, verdict }) => {
    tokenDepot.put(await loggedIn(api, 'another-process@example.test'));
    await expectAnotherUserUnaffected(tokens, verdict);
  });
});
`;

test("rule 6 on a gateway whose tokens live shorter than rule 2's latest look: a process that owns one address still borrows another user's handed-on token", async ({
  newClient,
  runSuite,
}, testInfo) => {
  const url = await served(newClient({ tokenTtlSeconds: 45, otpCooldownMs: Number(COOLDOWN_MS) }));
  const run = await runPlanted(runSuite, testInfo.outputPath('project'), SHORT_LIVED, {
    TRANSAK_BASE_URL: url,
    TRANSAK_EMAILS: 'only-address@example.test',
    // Rule 2's latest look outlasts the 45 s tokens, as the 60 s cooldown's does on staging.
    TRANSAK_R2_LATE_LOOK_MS: '60000',
  });
  expect(run.globalErrors).toEqual([]);
  expect(run.tests.map((t) => `${t.title}: ${t.status} ${t.message}`)).toEqual([
    'planted: a token too short-lived for a taker stays in the depot: passed ',
    'planted: rule 6 borrows a handed-on token too short-lived for rule 2: passed ',
  ]);
});
