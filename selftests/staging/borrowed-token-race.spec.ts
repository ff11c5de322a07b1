/**
 * Rule 6's other-user test on a gateway with one session per user, where the second user's token
 * belongs to another process that may log that address in again at any moment. The race is
 * planted in a copy of the project: a spec that runs the real check (helpers/other-user-check.ts)
 * with the real token supply and verdict steps, and logs the second user's address in again at a
 * chosen moment, as its owner would. Ended so once, the check judges again with a new pair and
 * passes; ended so twice, it is "cannot judge" (red); a token refused with no later login of its
 * address is red at once, never judged again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject } from '../../scripts/scratch-run';
import { expect, test } from '../fixtures';
import { served } from '../support/emulator-client';

const COOLDOWN_MS = '1000';

const PLANTED = `import { describeRule, test, type TokenSupply, type VerdictSteps } from '../helpers/fixtures';
import type { UserToken } from '../helpers/auth-flow';
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
`;

test("rule 6 on a one-session gateway: the second user's token ended by its owner's next login is judged again once, then cannot judge; any other refusal is red", async ({
  newClient,
  runSuite,
}, testInfo) => {
  const dir = testInfo.outputPath('project');
  mkdirSync(dir, { recursive: true });
  copyProject(dir);
  writeFileSync(join(dir, 'tests', 'zz-planted-race.spec.ts'), PLANTED);
  const url = await served(newClient({ oneSessionPerUser: true, otpCooldownMs: Number(COOLDOWN_MS) }));
  const run = await runSuite({
    cwd: dir,
    env: { TRANSAK_BASE_URL: url, TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS },
    args: ['--workers=1', '--grep', 'planted race'],
  });
  const outcome = (title: string) => {
    const t = run.tests.find((x) => x.title === `planted race: ${title}`);
    return {
      status: t?.status,
      // The JSON report lists a runtime annotation with the test and with its attempt: once is enough.
      judgedAgain: [...new Set(t?.annotations.filter((a) => a.type === 'judged again').map((a) => a.description))],
      message: t?.message ?? '',
    };
  };
  const ENDED = "the second user's token was ended by a later login of its address";

  expect(run.globalErrors).toEqual([]);
  expect(outcome('ended before the logout, once')).toEqual({
    status: 'passed',
    judgedAgain: [`${ENDED} before the logout: rule 6 is judged with a new pair`],
    message: '',
  });
  expect(outcome('ended after the logout, once')).toEqual({
    status: 'passed',
    judgedAgain: [`${ENDED}, not by the logout: rule 6 is judged with a new pair`],
    message: '',
  });
  for (const [title, why] of [
    ['ended before the logout, twice', `${ENDED} before the logout`],
    ['ended after the logout, twice', `${ENDED}, not by the logout`],
  ]) {
    const twice = outcome(title);
    expect(twice.status, title).toBe('failed');
    expect(twice.judgedAgain, title).toHaveLength(1);
    expect(run.tests.find((t) => t.title.endsWith(title))?.errors.join('\n'), title).toContain(`cannot judge: ${why}`);
  }
  const refused = outcome('refused with no later login');
  expect(refused.status).toBe('failed');
  expect(refused.judgedAgain, 'a refusal with no later login is never judged again').toEqual([]);
  expect(refused.message).toContain('a live token is accepted by Get User Details');
});
