import { describeRule, LOGOUT_PATH, OTHER_METHODS, test } from '../helpers/fixtures';

describeRule('R5', () => {
  for (const method of OTHER_METHODS) {
    test(`${method} on the logout path answers 4xx and logs nobody out`, async ({ borrowedToken, api, verdict }) => {
      const ex = await test.step(`${method} ${LOGOUT_PATH} with a live token`, () => api.raw(method, LOGOUT_PATH, borrowedToken.token));

      await verdict.clientError(ex, `rule 5: ${method} on the logout path is a client error`, 'method_not_refused');
      await verdict.tokenWorks(borrowedToken.token, `the token still works after ${method}`);
    });
  }
});
