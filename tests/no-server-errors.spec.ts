import { test } from '../helpers/fixtures';
import { NO_AUTHORIZATION } from '../helpers/transak-api';
import { checkNoEcho, checkNotServerError } from '../helpers/verdicts';

test.describe('rule 4: no 5xx, no echoed token', () => {
  test('R4 a whole session (use, refresh, logout, reuse) draws no 5xx and no answer echoes the token', async ({ freshToken, api, log, verdict }) => {
    const token = freshToken.token;
    await test.step('use the live token', async () => {
      await api.userDetails(token);
      await api.refresh(token);
    });
    await test.step('log out, then reuse the dead token everywhere', async () => {
      await api.logout(token);
      await api.logout(token);
      await api.userDetails(token);
      await api.refresh(token);
    });
    await test.step('send logout a missing header and a Bearer-prefixed token', async () => {
      await api.logout(NO_AUTHORIZATION);
      await api.logout(`Bearer ${token}`);
    });
    await test.step('no answer was a 5xx or carried the token back', () => {
      verdict.expectNone(
        log.exchanges.flatMap((ex) => [...checkNotServerError(ex), ...checkNoEcho(ex)]),
        'rule 4: no request is answered with a 5xx, and no answer echoes the token in its body or headers',
      );
    });
  });
});
