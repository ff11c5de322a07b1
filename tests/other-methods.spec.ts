import { controlledToken, describeRule, LOGOUT_PATH, OTHER_METHODS, test, type SuiteFixtures } from '../helpers/fixtures';

/**
 * A logout in another worker may end the token meanwhile, on a gateway that breaks rule 6: then judged
 * again with a new token, up to twice (on a busy machine such a logout can meet two tries in a row).
 */
async function expectNobodyLoggedOut(
  method: (typeof OTHER_METHODS)[number],
  { tokens, api, verdict }: Pick<SuiteFixtures, 'tokens' | 'api' | 'verdict'>,
  triesLeft = 2,
) {
  const { token } = await controlledToken(tokens, verdict, 'borrow');

  const ex = await test.step(`${method} ${LOGOUT_PATH} with a live token`, () => api.raw(method, LOGOUT_PATH, token));

  await verdict.clientError(ex, `rule 5: ${method} on the logout path is a client error`, 'method_not_refused');
  if (!(await verdict.stillWorksAfter(token, method, triesLeft > 0)))
    await expectNobodyLoggedOut(method, { tokens, api, verdict }, triesLeft - 1);
}

describeRule('R5', () => {
  for (const method of OTHER_METHODS) {
    test(`${method} on the logout path answers 4xx and logs nobody out`, async ({ tokens, api, verdict }) => {
      await expectNobodyLoggedOut(method, { tokens, api, verdict });
    });
  }
});
