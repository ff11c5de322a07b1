import { describeRule, test } from '../helpers/fixtures';
import type { TokenOperation } from '../helpers/transak-api';
import { OPERATION_LABEL } from '../helpers/verdict-steps';

/**
 * Rule 2 asks for "again at least 3 s later". A second look at 5 s also catches a revocation that
 * wears off after "a few seconds"; the wait overlaps other tests, which run in parallel workers.
 */
const LATER_S = [3, 5];

const OPERATIONS: TokenOperation[] = ['get-user-details', 'refresh-user-access-token', 'logout-user'];

describeRule('R2', () => {
  for (const operation of OPERATIONS) {
    test(`a logged-out token is rejected by ${OPERATION_LABEL[operation]}, at once and ${LATER_S.join(' and ')} s later`, async ({ freshToken, verdict }) => {
      await verdict.tokenWorks(freshToken.token);
      const loggedOutAt = await test.step('log out', async () => {
        await verdict.logsOut(freshToken.token);
        return Date.now();
      });
      await verdict.rejectedBy(operation, freshToken.token, `${OPERATION_LABEL[operation]} rejects it on the first call after logout`);
      for (const seconds of LATER_S) {
        const wait = loggedOutAt + seconds * 1000 - Date.now();
        await test.step(`wait until ${seconds} s after the logout`, () => new Promise((resolve) => setTimeout(resolve, Math.max(0, wait))));
        await verdict.rejectedBy(operation, freshToken.token, `${OPERATION_LABEL[operation]} still rejects it ${seconds} s later`);
      }
    });
  }
});
