import { controlledToken, describeRule, REFUSED_CREDENTIALS, TOKEN_OPERATIONS, labelOf, test } from '../helpers/fixtures';

describeRule('R3', () => {
  for (const variant of REFUSED_CREDENTIALS) {
    // A variant derived from a live token only borrows it, after a control that it is live: the token
    // is handed on when the test ends.
    test(`logout rejects ${variant.title}, and so do Get User Details and Refresh`, async ({ tokens, verdict }) => {
      const live = async (): Promise<string> =>
        (await controlledToken(tokens, verdict, 'borrow', { title: 'control: Get User Details accepts the token it is made from' })).token;

      const credential = await test.step(`build ${variant.title}`, () => variant.build(live));

      for (const operation of TOKEN_OPERATIONS) {
        await verdict.rejectedBy(operation, credential, `${labelOf(operation)} rejects ${variant.title}`);
      }
    });
  }

  test('a Bearer-prefixed live token is accepted or rejected by logout, never answered with a 5xx', async ({ liveToken, api, verdict }) => {
    const ex = await test.step('log out with "Bearer <token>"', () => api.logout(`Bearer ${liveToken.token}`));

    await verdict.acceptedOrRejected(ex, 'rule 3: a Bearer prefix may be tolerated or refused, never a 5xx');
    // A server that tolerates the prefix and answers 200 has logged the token out: rule 2 then holds.
    // eslint-disable-next-line playwright/no-conditional-in-test -- the contract allows either answer; each has its own consequence
    if (ex.status === 200)
      await verdict.rejectedBy('get-user-details', liveToken.token, 'the Bearer logout was accepted, so the token is now rejected');
  });
});
