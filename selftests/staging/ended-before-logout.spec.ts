/**
 * A test's token is seen working by its control before the test acts on it (helpers/live-token.ts).
 * Planted in a copy of the project: the token is ended by a logout this run never sees, as the other
 * shard's would be on a gateway whose logout ends every token, either before its control (rules 3,
 * 5, 7 and the rest) or between the control and the logout (rules 1, 2 and 8). Once, the test judges
 * again with a new token and passes; twice, it is red (at the logout, as rule 1); ended by the
 * gateway's own policy (a later login of its address, on a one-session gateway), it is never judged again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject } from '../../scripts/scratch-run';
import { expect, test } from '../fixtures';
import { served } from '../support/emulator-client';

const PLANTED = `import { controlledToken, describeRule, logOutLiveToken, test, type TokenSupply, type VerdictSteps } from '../helpers/fixtures';
import { createRedactor } from '../helpers/redact';
import { createTransakApi } from '../helpers/transak-api';

type End = (token: { token: string; email: string }, tokens: TokenSupply) => Promise<unknown>;

/** The verdict steps, with \`end\` done to the token between its control and its logout, on the first \`times\` tries. */
function endedFirst(verdict: VerdictSteps, tokens: TokenSupply, times: number, end: End): VerdictSteps {
  let tries = 0;
  return {
    ...verdict,
    logsOutSeenLive: async (token, ...rest) => {
      if (++tries <= times) await end(token, tokens);
      return verdict.logsOutSeenLive(token, ...rest);
    },
  };
}

/** The token supply, with \`end\` done to each new token before the test sees it, on the first \`times\` tokens. */
function endedOnArrival(tokens: TokenSupply, times: number, end: End): TokenSupply {
  let tries = 0;
  return {
    ...tokens,
    mint: async (options) => {
      const token = await tokens.mint(options);
      if (++tries <= times) await end(token, tokens);
      return token;
    },
  };
}

describeRule('R1', () => {
  for (const times of [1, 2]) {
    test(\`planted: ended from outside the run before the logout, \${times} time(s)\`, async ({ tokens, verdict, playwright, suiteConfig }) => {
      // A client of its own, with no exchange log and no register: a logout this run never sees.
      const elsewhere = createTransakApi(await playwright.request.newContext(), suiteConfig, { redactor: createRedactor(), record: async () => undefined });
      await logOutLiveToken(tokens, endedFirst(verdict, tokens, times, (token) => elsewhere.logout(token.token)));
    });
  }
  test('planted: ended by a later login of its address before the logout, once', async ({ tokens, verdict }) => {
    await logOutLiveToken(tokens, endedFirst(verdict, tokens, 1, (token) => tokens.mint({ sameEmailAs: token.email })));
  });
});

describeRule('R7', () => {
  for (const times of [1, 2]) {
    test(\`planted: ended from outside the run before its control, \${times} time(s)\`, async ({ tokens, verdict, playwright, suiteConfig }) => {
      const elsewhere = createTransakApi(await playwright.request.newContext(), suiteConfig, { redactor: createRedactor(), record: async () => undefined });
      await controlledToken(endedOnArrival(tokens, times, (token) => elsewhere.logout(token.token)), verdict, 'mint');
    });
  }
  test('planted: ended by a later login of its address before its control, once', async ({ tokens, verdict }) => {
    await controlledToken(endedOnArrival(tokens, 1, (token, own) => own.mint({ sameEmailAs: token.email })), verdict, 'mint');
  });
});
`;

test('a token ended from outside the run before its control, or between its control and its logout, is judged again once, then red (at the logout as rule 1); an end by the gateway’s own policy is never judged again', async ({
  newClient,
  runSuite,
}, testInfo) => {
  const url = await served(newClient({ oneSessionPerUser: true, otpCooldownMs: 1000 }));
  const dir = testInfo.outputPath('project');
  mkdirSync(dir, { recursive: true });
  copyProject(dir);
  writeFileSync(join(dir, 'tests', 'zz-planted.spec.ts'), PLANTED);
  const run = await runSuite({
    cwd: dir,
    env: { TRANSAK_BASE_URL: url, TRANSAK_OTP_COOLDOWN_MS: '1000' },
    args: ['--workers=1', '--grep', 'planted'],
  });
  const outcome = (title: string) => {
    const t = run.tests.find((x) => x.title === `planted: ${title}`);
    return { status: t?.status, judgedAgain: t?.annotations.filter((a) => a.type === 'judged again').length, errors: t?.errors.join('\n') };
  };

  const once = outcome('ended from outside the run before the logout, 1 time(s)');
  expect(once).toMatchObject({ status: 'passed', judgedAgain: 1 });
  const twice = outcome('ended from outside the run before the logout, 2 time(s)');
  expect(twice).toMatchObject({ status: 'failed', judgedAgain: 1 });
  expect(twice.errors).toContain('rule 1: logout of a live token answers 200');
  const ownEnd = outcome('ended by a later login of its address before the logout, once');
  expect(ownEnd).toMatchObject({ status: 'failed', judgedAgain: 0 });
  expect(ownEnd.errors).toContain('logout_not_ok');

  const control = 'a live token is accepted by Get User Details';
  expect(outcome('ended from outside the run before its control, 1 time(s)')).toMatchObject({ status: 'passed', judgedAgain: 1 });
  const controlTwice = outcome('ended from outside the run before its control, 2 time(s)');
  expect(controlTwice).toMatchObject({ status: 'failed', judgedAgain: 1 });
  expect(controlTwice.errors).toContain(control);
  const controlOwnEnd = outcome('ended by a later login of its address before its control, once');
  expect(controlOwnEnd).toMatchObject({ status: 'failed', judgedAgain: 0 });
  expect(controlOwnEnd.errors).toContain(control);
  expect(run.globalErrors).toEqual([]);
});
