/**
 * The verdict rules as boxed report steps: a spec reads "log out → rejected by Get User Details",
 * and a failure points at the spec line that asked, with every violation on its own line, redacted.
 */
import { expect, test } from '@playwright/test';
import type { Exchange } from './exchange';
import type { ExchangeLog } from './exchange-log';
import type { SchemaValidator } from './schema-validator';
import type { Authorization, TokenOperation, TransakApi } from './transak-api';
import { checkAccepted, checkLogoutSucceeded, checkRejected } from './verdicts';

export const OPERATION_LABEL: Record<TokenOperation, string> = {
  'get-user-details': 'Get User Details',
  'refresh-user-access-token': 'Refresh User Access Token',
  'logout-user': 'Logout',
};

export interface VerdictSteps {
  /** Fails the test with every violation listed, secrets redacted. */
  expectNone(violations: string[], claim: string): void;
  /** Rule 1: logs the token out and holds the answer to 200, JSON, the documented body. */
  logsOut(auth: Authorization, title?: string): Promise<Exchange>;
  /** The control: Get User Details accepts the token (so a later rejection means something). */
  tokenWorks(auth: Authorization, title?: string): Promise<Exchange>;
  /** Rule 2: the operation rejects the credential: 400/401/403, the error body, the documented schema. */
  rejectedBy(operation: TokenOperation, auth: Authorization, title: string): Promise<Exchange>;
}

export function createVerdictSteps(api: TransakApi, log: ExchangeLog, validator: SchemaValidator): VerdictSteps {
  const expectNone = (violations: string[], claim: string): void => {
    expect(violations.map((v) => log.redactor.text(v)), claim).toEqual([]);
  };
  return {
    expectNone,
    logsOut: (auth, title = 'log out → 200 with the documented JSON body') =>
      test.step(
        title,
        async () => {
          const ex = await api.logout(auth);
          expectNone(checkLogoutSucceeded(ex, validator), 'rule 1: logout of a live token answers 200, JSON, User_logout-user_Response_200');
          return ex;
        },
        { box: true },
      ),
    tokenWorks: (auth, title = 'control: Get User Details accepts the token') =>
      test.step(
        title,
        async () => {
          const ex = await api.userDetails(auth);
          expectNone(checkAccepted(ex, validator), 'a live token is accepted by Get User Details');
          return ex;
        },
        { box: true },
      ),
    rejectedBy: (operation, auth, title) =>
      test.step(
        title,
        async () => {
          const ex = await api.call(operation, auth);
          expectNone(checkRejected(ex, validator), `${OPERATION_LABEL[operation]} rejects the token: 400/401/403 with {error:{statusCode,message}}`);
          return ex;
        },
        { box: true },
      ),
  };
}
