import { describeRule, test } from '../helpers/fixtures';
import { PATHS } from '../helpers/transak-api';
import { checkClientError } from '../helpers/verdicts';

const METHODS = ['GET', 'PUT', 'PATCH', 'DELETE'] as const;

describeRule('R5', () => {
  for (const method of METHODS) {
    test(`${method} on the logout path answers 4xx and logs nobody out`, async ({ freshToken, api, verdict }) => {
      const ex = await test.step(`${method} ${PATHS.logout} with a live token`, () => api.raw(method, PATHS.logout, freshToken.token));
      await test.step('the answer is a 4xx', () => verdict.expectNone(checkClientError(ex, 'method_not_refused'), `rule 5: ${method} on the logout path is a client error`));
      await verdict.tokenWorks(freshToken.token, `the token still works after ${method}`);
    });
  }
});
