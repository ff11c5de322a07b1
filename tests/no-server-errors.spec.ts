import { describeRule, test } from '../helpers/fixtures';
import { REFUSED_CREDENTIALS } from '../helpers/credential-variants';
import { PATHS, type TokenOperation } from '../helpers/transak-api';
import { checkNoEcho, checkNotServerError } from '../helpers/verdicts';

const OPERATIONS: TokenOperation[] = ['get-user-details', 'refresh-user-access-token', 'logout-user'];
const OTHER_METHODS = ['GET', 'PUT', 'PATCH', 'DELETE'];

describeRule('R4', () => {
  test('every kind of request the suite sends draws no 5xx, and no answer echoes the token', async ({ freshToken, api, log, verdict }) => {
    const token = freshToken.token;
    await test.step('a live token to Get User Details and Refresh', async () => {
      for (const operation of OPERATIONS.slice(0, 2)) await api.call(operation, token);
    });
    await test.step('every refused credential of rule 3 to every token operation', async () => {
      for (const variant of REFUSED_CREDENTIALS) {
        const credential = await variant.build(async () => token);
        if (typeof credential === 'string') log.redactor.add(credential);
        for (const operation of OPERATIONS) await api.call(operation, credential);
      }
    });
    await test.step('other methods on the logout path, and a Bearer-prefixed token', async () => {
      for (const method of OTHER_METHODS) await api.raw(method, PATHS.logout, token);
      await api.logout(`Bearer ${token}`);
    });
    await test.step('log out, then the dead token to every token operation', async () => {
      await api.logout(token);
      for (const operation of OPERATIONS) await api.call(operation, token);
    });
    await test.step('no answer was a 5xx or carried the token back', () => {
      verdict.expectNone(
        log.exchanges.flatMap((ex) => [...checkNotServerError(ex), ...checkNoEcho(ex)]),
        'rule 4: no request is answered with a 5xx, and no answer echoes the token in its body or headers',
      );
    });
  });
});
