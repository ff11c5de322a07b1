import { test } from '../helpers/fixtures';

test.describe('rule 1: logout of a live token', () => {
  test('R1 logout of a fresh token answers 200 with JSON matching User_logout-user_Response_200', async ({ freshToken, verdict }) => {
    await verdict.tokenWorks(freshToken.token);
    await verdict.logsOut(freshToken.token);
  });
});
