import { expect, test } from '../fixtures';
import { AccountLockedError, AuthFlowError, mintUserToken, OtpRefusedError, type AuthFlowDeps } from '../../helpers/auth-flow';
import { createEmailPool } from '../../helpers/email-pool';
import type { Exchange } from '../../helpers/exchange';
import { fixedOtp } from '../../helpers/otp/providers';
import { createSchemaValidator } from '../../helpers/schema-validator';
import type { TransakApi } from '../../helpers/transak-api';
import { fakeClock } from '../support/fake-clock';
import { fakeExchange } from '../support/fake-exchange';

const validator = createSchemaValidator();
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxYUB4LmlvIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl';
const SENT = { data: { isTncAccepted: true, stateToken: 'state-1', email: 'qa@x.io', expiresIn: 600 } };
const VERIFIED = { data: { accessToken: TOKEN, ttl: 2592000, created: '2026-11-28T10:00:00.000Z' } };
const refusal = (statusCode: number, message: string, errorCode?: number) => ({
  error: { statusCode, name: 'BadRequestError', message, errorCode },
});
const RATE_LIMITED = refusal(400, 'You can request a new OTP after 1 minute.', 1019);
const INVALID_OTP = refusal(400, 'Invalid OTP', 1007);
const LOCKED = refusal(403, 'Account locked after too many invalid OTP attempts', 1020);

/** The token flow's dependencies, with a TransakApi that plays back scripted answers and records what was asked. */
function scripted(sends: Array<[number, unknown]>, verifies: Array<[number, unknown]>, clock = fakeClock()) {
  const calls: string[] = [];
  const play = (operationId: string, script: Array<[number, unknown]>, call: string): Exchange => {
    calls.push(call);
    const [status, body] = script.shift() ?? [500, {}];
    return fakeExchange({ operationId, path: `/${operationId}`, status, statusText: '', body });
  };
  const api = {
    sendOtp: async (email: string) => play('send-user-otp', sends, `send ${email}`),
    verifyOtp: async ({ otp }: { otp: string }) => play('verify-user-otp', verifies, `verify ${otp}`),
  } as unknown as TransakApi;
  const pool = createEmailPool({ emails: ['qa@x.io'], cooldownMs: 60_000, clock });
  const deps: AuthFlowDeps = { api, validator, clock, cooldownMs: 60_000, otp: fixedOtp('123456'), pool };
  return { deps, calls };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined).catch((e: unknown) => e);
  expect(error, 'expected the token flow to fail').toBeInstanceOf(Error);
  return error as Error;
}

test.describe('token helper: Send User OTP → Verify User OTP', () => {
  test('hands back the access token and the address it belongs to', async () => {
    const { deps, calls } = scripted([[200, SENT]], [[200, VERIFIED]]);
    expect(await mintUserToken(deps)).toMatchObject({ token: TOKEN, email: 'qa@x.io', loginViolations: [] });
    expect(calls).toEqual(['send qa@x.io', 'verify 123456']);
  });

  for (const status of [401, 403]) {
    test(`a refused caller (${status}) is told both causes and both fixes: the API key, and the egress IP allowlist`, async () => {
      const { deps } = scripted([[status, refusal(status, 'Unauthorized')]], []);
      const error = await failureOf(mintUserToken(deps));
      expect(error).toBeInstanceOf(AuthFlowError);
      expect(error.message).toBe(
        `Send User OTP failed: POST /send-user-otp answered ${status} "Unauthorized"; the caller was refused: either TRANSAK_API_KEY is not the staging partner key (fix the key), or this machine's egress IP is not on Transak's allowlist (ask Transak to allowlist it; in CI use a self-hosted or static-IP runner)`,
      );
    });
  }

  test('a refused OTP fails once, is never retried, names the OTP source to fix, and names the address so the run stops its logins', async () => {
    const { deps, calls } = scripted([[200, SENT]], [[400, INVALID_OTP]]);
    const error = await failureOf(mintUserToken(deps));
    expect(error).toBeInstanceOf(OtpRefusedError);
    expect((error as OtpRefusedError).email).toBe('qa@x.io');
    expect(error.message).toContain('qa@x.io is not tried again in this run');
    expect(error.message).toContain('Verify User OTP failed');
    expect(error.message).toContain('"Invalid OTP" (errorCode 1007)');
    expect(error.message).toContain('fix TRANSAK_OTP');
    expect(error.message).not.toContain('123456');
    expect(calls.filter((c) => c.startsWith('verify'))).toHaveLength(1);
  });

  test('an expired or used state token is named', async () => {
    const { deps } = scripted([[200, SENT]], [[400, refusal(400, 'Invalid or expired state token', 1008)]]);
    expect((await failureOf(mintUserToken(deps))).message).toContain('the state token may have expired or been used');
  });

  test('the rate limit (1019) makes it wait a cooldown and ask again, not fail', async () => {
    const clock = fakeClock();
    const { deps, calls } = scripted(
      [
        [400, RATE_LIMITED],
        [200, SENT],
      ],
      [[200, VERIFIED]],
      clock,
    );
    expect((await mintUserToken(deps)).token).toBe(TOKEN);
    expect(calls).toEqual(['send qa@x.io', 'send qa@x.io', 'verify 123456']);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(62_000);
  });

  test('a locked account stops with AccountLockedError and no further attempt', async () => {
    const { deps, calls } = scripted([[403, LOCKED]], []);
    const error = await failureOf(mintUserToken(deps));
    expect(error).toBeInstanceOf(AccountLockedError);
    expect(error.message).toContain('stopping without further attempts');
    expect(calls).toEqual(['send qa@x.io']);
  });

  test('an answer that drifts from its schema is recorded with the instance path, and the token is still handed back', async () => {
    const { deps } = scripted(
      [[200, { data: { ...SENT.data, isTncAccepted: 'no' } }]],
      [[200, { data: { accessToken: TOKEN, ttl: '30d', created: 'yesterday' } }]],
    );
    const minted = await mintUserToken(deps);
    expect(minted.token).toBe(TOKEN);
    expect(minted.loginViolations).toEqual([
      expect.stringMatching(
        /^login_schema_violation: POST \/send-user-otp 200 body breaks the documented schema: .*isTncAccepted must be boolean/,
      ),
      expect.stringMatching(/^login_schema_violation: POST \/verify-user-otp 200 body breaks the documented schema: .*ttl must be number/),
      expect.stringMatching(
        /^login_schema_violation: POST \/verify-user-otp 200 body breaks the documented schema: .*created must match format "date-time"/,
      ),
    ]);
  });

  test('an answer without the token it exists for stops the login, naming the missing field', async () => {
    const { deps } = scripted([[200, SENT]], [[200, { data: { ttl: 2592000 } }]]);
    const error = await failureOf(mintUserToken(deps));
    expect(error.message).toMatch(
      /^Verify User OTP answered 200 without data\.accessToken, so no token can be obtained: login_schema_violation: .*accessToken/,
    );
  });

  test('a refused OTP or a lock is reported to onStop before the address is released to its next login', async () => {
    const events: string[] = [];
    const base = scripted([[200, SENT]], [[400, INVALID_OTP]]).deps;
    const pool = {
      ...base.pool,
      release: (email: string) => {
        events.push(`release ${email}`);
        base.pool.release(email);
      },
    };
    const onStop = (scope: string, email: string) => events.push(`stop ${scope} ${email}`);
    await failureOf(mintUserToken({ ...base, pool, onStop }));
    await failureOf(mintUserToken({ ...scripted([[403, LOCKED]], []).deps, pool, onStop }));
    expect(events).toEqual(['stop address qa@x.io', 'release qa@x.io', 'stop run qa@x.io', 'release qa@x.io']);
  });
});
