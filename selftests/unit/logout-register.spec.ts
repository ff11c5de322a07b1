import { expect, test } from '../fixtures';
import { fakeExchange } from '../support/fake-exchange';
import type { Exchange } from '../../helpers/exchange';
import { unsignedCopy } from '../../helpers/forged-tokens';
import { endedByOthersLogout, openLogoutRegister } from '../../helpers/logout-register';

/** Why the token ended, as the register words it (undefined: nothing excuses the test). */
const causeOf = async (...args: Parameters<typeof endedByOthersLogout>) => (await endedByOthersLogout(...args))?.cause;

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhQHgiLCJqdGkiOiIxMjM0NSJ9.c2lnbmF0dXJl';
const ME = 0;
const OTHER = 1;

const issue = fakeExchange({ operationId: 'verify-user-otp', path: '/api/v2/auth/verify', body: { data: { accessToken: TOKEN } } });
const userDetails = (status: number) =>
  fakeExchange({ operationId: 'get-user-details', method: 'GET', path: '/api/v2/user/', status, requestHeaders: { authorization: TOKEN } });
const getOnLogout = fakeExchange({ operationId: undefined, method: 'GET', status: 405, requestHeaders: { authorization: TOKEN } });

/** A test's log: each exchange answered at the given time. */
function logOf(...timed: Array<[Exchange, number]>) {
  const at = new Map(timed);
  return { exchanges: timed.map(([ex]) => ex), answeredAt: (ex: Exchange) => at.get(ex) };
}

test.describe('logout register', () => {
  test('keeps successful logouts only, and finds the logouts that overlap a window, with their workers', () => {
    const register = openLogoutRegister(test.info().outputPath('run'));
    register.record(OTHER, fakeExchange({ ms: 10 }), 1_000);
    register.record(OTHER, fakeExchange({ status: 401 }), 1_500);
    register.record(OTHER, userDetails(200), 1_600);
    register.record(ME, fakeExchange(), 1_700);
    expect(register.between(995, 1_600)).toEqual([{ from: 990, to: 1_000, by: OTHER }]);
    expect(register.between(1_001, 1_600)).toEqual([]);
    expect(register.between(0, 2_000).sort((a, b) => a.from - b.from)).toEqual([
      { from: 990, to: 1_000, by: OTHER },
      { from: 1_697, to: 1_700, by: ME },
    ]);
  });

  test('a token refused untouched while another worker logged out is excused as rule 6’s', async () => {
    const register = openLogoutRegister(test.info().outputPath('run'));
    const now = Date.now();
    const dead = userDetails(401);
    register.record(OTHER, fakeExchange({ ms: 5 }), now - 50);
    const ended = await endedByOthersLogout(register, logOf([issue, now - 100], [dead, now]), ME, TOKEN, dead, false, true);
    expect(ended?.cause).toContain('rule 6');
    expect(ended?.outsideRun, 'another worker of this run logged out').toBe(false);
  });

  test('a logout written down after the refusal still counts', async () => {
    const register = openLogoutRegister(test.info().outputPath('run'));
    const now = Date.now();
    const dead = userDetails(401);
    setTimeout(() => register.record(OTHER, fakeExchange({ ms: 5 }), now - 10), 300);
    expect(await causeOf(register, logOf([userDetails(200), now - 100], [dead, now]), ME, TOKEN, dead)).toContain('rule 6');
  });

  test('no excuse for the worker’s own logouts, logouts outside the window, or a token the test used since', async () => {
    const register = openLogoutRegister(test.info().outputPath('run'));
    const now = Date.now();
    const dead = userDetails(401);
    register.record(ME, fakeExchange(), now - 50);
    register.record(OTHER, fakeExchange({ ms: 5 }), now - 500);
    expect(await causeOf(register, logOf([issue, now - 100], [dead, now]), ME, TOKEN, dead)).toBeUndefined();

    register.record(OTHER, fakeExchange({ ms: 5 }), now - 50);
    const used = logOf([issue, now - 100], [getOnLogout, now - 60], [dead, now]);
    expect(await causeOf(register, used, ME, TOKEN, dead)).toBeUndefined();
    // A test that judges again may look past its own acts, to the token's last sign of life.
    expect(await causeOf(register, used, ME, TOKEN, dead, true)).toContain('rule 6');
    // A logout of a copy forged from the token (its claims, no signature) is the test's act on it too,
    // where the server accepted it; refused, it did nothing to the token.
    const forged = (status: number) => fakeExchange({ status, requestHeaders: { authorization: unsignedCopy(TOKEN) } });
    const forgedLogout = (status: number) => logOf([userDetails(200), now - 100], [forged(status), now - 60], [dead, now]);
    expect(await causeOf(register, forgedLogout(200), ME, TOKEN, dead)).toBeUndefined();
    expect(await causeOf(register, forgedLogout(401), ME, TOKEN, dead)).toContain('rule 6');
  });

  test('with no logout in the run, only a token seen working and untouched since, where the caller ruled out the gateway’s own ends, was ended from outside', async () => {
    const register = openLogoutRegister(test.info().outputPath('run'));
    const now = Date.now();
    const dead = userDetails(401);
    const seen = logOf([userDetails(200), now - 100], [dead, now]);
    expect((await endedByOthersLogout(register, seen, ME, TOKEN, dead, false, true))?.outsideRun).toBe(true);
    expect(await causeOf(register, seen, ME, TOKEN, dead, false, true)).toMatch(
      /^the token worked \d+ ms before this refusal, and neither this test nor any logout of this run ended it since/,
    );
    expect(await causeOf(register, seen, ME, TOKEN, dead), 'not ruled out by the caller').toBeUndefined();
    expect(await causeOf(register, logOf([issue, now - 100], [dead, now]), ME, TOKEN, dead, false, true), 'only issued').toBeUndefined();
    const used = logOf([userDetails(200), now - 100], [getOnLogout, now - 60], [dead, now]);
    expect(await causeOf(register, used, ME, TOKEN, dead, false, true), 'used since').toBeUndefined();
    register.record(ME, fakeExchange(), now - 50);
    expect(await causeOf(register, seen, ME, TOKEN, dead, false, true), 'this worker logged out').toBeUndefined();
  });
});
