import { describeRule, test } from '../helpers/fixtures';

/** Bounded: a handful of simultaneous requests to one token, the shape of a double-clicked logout. */
const SIMULTANEOUS = 5;

describeRule('R7', () => {
  test(`${SIMULTANEOUS} simultaneous logouts of one token: no 5xx, at least one 200, the token dead afterwards`, async ({
    freshToken,
    api,
    verdict,
  }) => {
    const answers = await test.step(`send ${SIMULTANEOUS} logouts at once`, () =>
      Promise.all(Array.from({ length: SIMULTANEOUS }, () => api.logout(freshToken.token))));

    // Rule 7 asks no more of the losers of the race than "not a 5xx": any 4xx will do (401, 409, …).
    await verdict.concurrentLogoutsSafe(answers);
    await verdict.rejectedBy('get-user-details', freshToken.token, 'Get User Details rejects the token afterwards');
    await verdict.rejectedBy('logout-user', freshToken.token, 'Logout rejects the token afterwards');
  });
});
