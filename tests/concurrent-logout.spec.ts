import { controlledToken, describeRule, SIMULTANEOUS_LOGOUTS as SIMULTANEOUS, test, type SuiteFixtures } from '../helpers/fixtures';

/**
 * A logout in another worker may end the token before the race, on a gateway that breaks rule 6: then
 * judged again with a new token, up to twice (on a busy machine such a logout can meet two tries in a row).
 */
async function expectRaceSafe({ tokens, api, verdict }: Pick<SuiteFixtures, 'tokens' | 'api' | 'verdict'>, triesLeft = 2): Promise<void> {
  const { token } = await controlledToken(tokens, verdict, 'mint');

  const answers = await test.step(`send ${SIMULTANEOUS} logouts at once`, () =>
    Promise.all(Array.from({ length: SIMULTANEOUS }, () => api.logout(token))));

  // The losers of the race may answer any 4xx (401, 409, …); a 5xx among them is rule 4's (its sweep races logouts too).
  if (!(await verdict.concurrentLogoutsSafe(token, answers, triesLeft > 0))) return expectRaceSafe({ tokens, api, verdict }, triesLeft - 1);
  await verdict.rejectedBy('get-user-details', token, 'Get User Details rejects the token afterwards');
  await verdict.rejectedBy('logout-user', token, 'Logout rejects the token afterwards');
}

describeRule('R7', () => {
  test(`${SIMULTANEOUS} simultaneous logouts of one token: at least one succeeds, the token dead afterwards`, async ({
    tokens,
    api,
    verdict,
  }) => {
    await expectRaceSafe({ tokens, api, verdict });
  });
});
