/**
 * Rules 1, 2 and 8 log out a token their control saw working (helpers/live-logout.ts). Planted in a
 * copy of the project: the token is ended between the control and the logout by a logout this run
 * never sees, as the other shard's would be on a gateway whose logout ends every token. Once, the
 * test judges again with a new token and passes; twice, the refusal is rule 1's violation; ended by
 * the gateway's own policy (a later login of its address, on a one-session gateway), it is never
 * judged again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject } from '../../scripts/scratch-run';
import { expect, test } from '../fixtures';
import { served } from '../support/emulator-client';

const PLANTED = `import { describeRule, logOutLiveToken, test, type TokenSupply, type VerdictSteps } from '../helpers/fixtures';
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
`;

test('a logout refused because the token was ended from outside the run after its control is judged again once, then red as rule 1; an end by the gateway’s own policy is never judged again', async ({
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
  expect(run.globalErrors).toEqual([]);
});
