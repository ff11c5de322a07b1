import { describeRule, SIMULTANEOUS_LOGOUTS as SIMULTANEOUS, test } from '../helpers/fixtures';

describeRule('R7', () => {
  test(`${SIMULTANEOUS} simultaneous logouts of one token: at least one succeeds, the token dead afterwards`, async ({
    liveToken,
    api,
    verdict,
  }) => {
    await verdict.tokenWorks(liveToken.token);

    const answers = await test.step(`send ${SIMULTANEOUS} logouts at once`, () =>
      Promise.all(Array.from({ length: SIMULTANEOUS }, () => api.logout(liveToken.token))));

    // The losers of the race may answer any 4xx (401, 409, …); a 5xx among them is rule 4's (its sweep races logouts too).
    await verdict.concurrentLogoutsSafe(answers);
    await verdict.rejectedBy('get-user-details', liveToken.token, 'Get User Details rejects the token afterwards');
    await verdict.rejectedBy('logout-user', liveToken.token, 'Logout rejects the token afterwards');
  });
});
