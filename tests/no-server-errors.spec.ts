import {
  describeRule,
  LOGOUT_BODY_SHAPES,
  LOGOUT_PATH,
  OTHER_METHODS,
  REFUSED_CREDENTIALS,
  SIMULTANEOUS_LOGOUTS,
  TOKEN_OPERATIONS,
  test,
} from '../helpers/fixtures';

describeRule('R4', () => {
  test('every kind of request the suite sends draws no 5xx, and no answer echoes the token', async ({
    liveToken,
    mintToken,
    api,
    log,
    verdict,
  }) => {
    const token = liveToken.token;

    await test.step('a live token to Get User Details and Refresh', async () => {
      await api.call('get-user-details', token);
      await api.call('refresh-user-access-token', token);
    });

    await test.step('every refused credential of rule 3 to every token operation', async () => {
      for (const variant of REFUSED_CREDENTIALS) {
        const credential = await variant.build(async () => token);
        for (const operation of TOKEN_OPERATIONS) await api.call(operation, credential);
      }
    });

    await test.step('other methods on the logout path, and a Bearer-prefixed token', async () => {
      for (const method of OTHER_METHODS) await api.raw(method, LOGOUT_PATH, token);
      await api.logout(`Bearer ${token}`);
    });

    await test.step('log out with a JSON body, then the dead token to every token operation and every logout body', async () => {
      await api.logout(token, LOGOUT_BODY_SHAPES[1]);
      for (const operation of TOKEN_OPERATIONS) await api.call(operation, token);
      for (const shape of LOGOUT_BODY_SHAPES) await api.logout(token, shape);
    });

    await test.step(`${SIMULTANEOUS_LOGOUTS} simultaneous logouts of another live token, as rule 7 sends them`, async () => {
      const raced = await mintToken();
      await Promise.all(Array.from({ length: SIMULTANEOUS_LOGOUTS }, () => api.logout(raced.token)));
    });

    await verdict.noServerErrorsOrEchoes(
      log.exchanges,
      'rule 4: no request is answered with a 5xx, and no answer echoes the token in its body or headers',
    );
  });
});
