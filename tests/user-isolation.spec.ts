import { describeRule, test } from '../helpers/fixtures';
import { checkAccepted, checkRejected } from '../helpers/verdicts';

describeRule('R6', () => {
  test("logging out one user's token leaves another user's token working", async ({ mintToken, emailPool, verdict }) => {
    test.skip(emailPool.capacity < 2, 'needs two test users: TRANSAK_EMAILS lists one address in this worker’s share; add another');
    const first = await mintToken();
    const second = await mintToken({ except: [first.email] });
    await verdict.logsOut(first.token, "log out the first user's token");
    await verdict.tokenWorks(second.token, "the second user's token still works");
    await verdict.logsOut(second.token, "the second user's token can still log out");
  });

  test("the same user's other session after logout is observed, and held to TRANSAK_SAME_USER_SESSIONS when set", async ({ mintToken, suiteConfig, api, validator, verdict }, testInfo) => {
    // A second login of one address waits out the OTP cooldown (a minute on the real gateway).
    test.setTimeout(suiteConfig.otpCooldownMs + 60_000);
    const first = await mintToken();
    const second = await mintToken({ sameEmailAs: first.email });
    await verdict.logsOut(first.token, 'log out the first session');
    const ex = await test.step('ask Get User Details with the other session', () => api.userDetails(second.token));
    const observed = ex.status === 200 ? 'survive' : 'revoked';
    testInfo.annotations.push({ type: 'same-user sessions', description: `other sessions ${observed === 'survive' ? 'survive' : 'are revoked by'} a logout (HTTP ${ex.status})` });
    await test.step(`observed: the other session ${observed === 'survive' ? 'survives' : 'is revoked'}`, () => {
      const policy = suiteConfig.sameUserSessions;
      if (policy === 'survive') verdict.expectNone(checkAccepted(ex, validator), 'TRANSAK_SAME_USER_SESSIONS=survive: the other session still works');
      else if (policy === 'revoked') verdict.expectNone(checkRejected(ex, validator), 'TRANSAK_SAME_USER_SESSIONS=revoked: the other session is rejected');
      // Either way the answer must be one of the two outcomes, well-formed.
      else verdict.expectNone(observed === 'survive' ? checkAccepted(ex, validator) : checkRejected(ex, validator), 'the other session is either working or properly rejected');
    });
  });
});
