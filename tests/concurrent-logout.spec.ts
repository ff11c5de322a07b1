import { describeRule, test } from '../helpers/fixtures';
import { checkClientError, checkLogoutSucceeded } from '../helpers/verdicts';

/** Bounded: a handful of simultaneous requests to one token, the shape of a double-clicked logout. */
const SIMULTANEOUS = 5;

describeRule('R7', () => {
  test(`${SIMULTANEOUS} simultaneous logouts of one token: no 5xx, at least one 200, the token dead afterwards`, async ({ freshToken, api, validator, verdict }) => {
    const answers = await test.step(`send ${SIMULTANEOUS} logouts at once`, () => Promise.all(Array.from({ length: SIMULTANEOUS }, () => api.logout(freshToken.token))));
    // Rule 7 asks no more of the losers of the race than "not a 5xx": any 4xx will do (401, 409, …).
    await test.step('each answer is a 200 logout or a 4xx, never a 5xx', () => {
      verdict.expectNone(
        answers.flatMap((ex) => (ex.status === 200 ? checkLogoutSucceeded(ex, validator) : checkClientError(ex))),
        'rule 7: no 5xx among concurrent logouts',
      );
    });
    await test.step('at least one answered 200', () => {
      const statuses = answers.map((ex) => ex.status);
      verdict.expectNone(statuses.includes(200) ? [] : [`no_logout_succeeded: expected at least one 200, got ${statuses.join(', ')}`], 'rule 7: one of the logouts succeeds');
    });
    await verdict.rejectedBy('get-user-details', freshToken.token, 'Get User Details rejects the token afterwards');
    await verdict.rejectedBy('logout-user', freshToken.token, 'Logout rejects the token afterwards');
  });
});
