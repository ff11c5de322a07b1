import { describeRule, test } from '../helpers/fixtures';
import { REFUSED_CREDENTIALS } from '../helpers/credential-variants';
import type { TokenOperation } from '../helpers/transak-api';
import { OPERATION_LABEL } from '../helpers/verdict-steps';
import { checkAcceptedOrRejected } from '../helpers/verdicts';

const OPERATIONS: TokenOperation[] = ['logout-user', 'get-user-details', 'refresh-user-access-token'];

describeRule('R3', () => {
  for (const variant of REFUSED_CREDENTIALS) {
    test(`logout rejects ${variant.title}, and so do Get User Details and Refresh`, async ({ mintToken, verdict, log }) => {
      const credential = await test.step(`build ${variant.title}`, () => variant.build(async () => (await mintToken()).token));
      if (typeof credential === 'string') log.redactor.add(credential);
      for (const operation of OPERATIONS) {
        await verdict.rejectedBy(operation, credential, `${OPERATION_LABEL[operation]} rejects ${variant.title}`);
      }
    });
  }

  test('a Bearer-prefixed live token is accepted or rejected by logout, never answered with a 5xx', async ({ freshToken, api, verdict, validator }) => {
    const ex = await test.step('log out with "Bearer <token>"', () => api.logout(`Bearer ${freshToken.token}`));
    await test.step('the answer is a 200 logout or a well-formed rejection, not a 5xx', () => {
      verdict.expectNone(checkAcceptedOrRejected(ex, validator), 'rule 3: a Bearer prefix may be tolerated or refused, never a 5xx');
    });
    if (ex.status === 200) {
      // A server that tolerates the prefix and answers 200 has logged the token out: rule 2 then holds.
      await verdict.rejectedBy('get-user-details', freshToken.token, 'the Bearer logout was accepted, so the token is now rejected');
    }
  });
});
