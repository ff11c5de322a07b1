import { describeRule, test } from '../helpers/fixtures';

describeRule('R6', () => {
  test("logging out one user's token leaves another user's token working", async ({ mintToken, verdict }) => {
    const first = await mintToken();
    const second = await mintToken({ except: [first.email] });
    await verdict.logsOut(first.token, "log out the first user's token");
    await verdict.tokenWorks(second.token, "the second user's token still works");
    await verdict.logsOut(second.token, "the second user's token can still log out");
  });

  test("the same user's other session after logout is observed, and held to TRANSAK_SAME_USER_SESSIONS when set", async ({
    mintToken,
    suiteConfig,
    api,
    verdict,
  }, testInfo) => {
    // The second login of one address waits out its OTP cooldown; the wait grows the test's budget.
    const first = await mintToken({ ownAddress: true });
    const second = await mintToken({ sameEmailAs: first.email });
    await verdict.logsOut(first.token, 'log out the first session');

    const ex = await test.step('ask Get User Details with the other session', () => api.userDetails(second.token));

    const observed = await verdict.otherSessionAnswer(ex, suiteConfig.sameUserSessions);
    testInfo.annotations.push({
      type: 'same-user sessions',
      description: `other sessions ${observed === 'survive' ? 'survive' : 'are revoked by'} a logout (HTTP ${ex.status})`,
    });
  });
});
