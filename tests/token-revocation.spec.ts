import { test } from '../helpers/fixtures';
import type { TokenOperation } from '../helpers/transak-api';
import { OPERATION_LABEL } from '../helpers/verdict-steps';

/** Rule 2 asks for "again at least 3 s later": long enough for a revocation that wears off to show. */
const LATER_MS = 3000;

const OPERATIONS: TokenOperation[] = ['get-user-details', 'refresh-user-access-token', 'logout-user'];

test.describe('rule 2: a logged-out token is dead everywhere', () => {
  for (const operation of OPERATIONS) {
    test(`R2 a logged-out token is rejected by ${OPERATION_LABEL[operation]}, at once and ${LATER_MS / 1000} s later`, async ({ freshToken, verdict }) => {
      await verdict.tokenWorks(freshToken.token);
      await verdict.logsOut(freshToken.token);
      await verdict.rejectedBy(operation, freshToken.token, `${OPERATION_LABEL[operation]} rejects it on the first call after logout`);
      await test.step(`wait ${LATER_MS / 1000} s`, () => new Promise((resolve) => setTimeout(resolve, LATER_MS)));
      await verdict.rejectedBy(operation, freshToken.token, `${OPERATION_LABEL[operation]} still rejects it ${LATER_MS / 1000} s later`);
    });
  }
});
