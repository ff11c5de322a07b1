import { describeRule, logOutLiveToken, test } from '../helpers/fixtures';

describeRule('R1', () => {
  test('logout of a fresh token answers 200 with JSON matching User_logout-user_Response_200', async ({ tokens, verdict }) => {
    await logOutLiveToken(tokens, verdict);
  });
});
