/**
 * A target that cannot be tested stops the run at the preflight: one line that names the fix, and
 * no test run (Allure and the job summary sort failures by its wording: keep it stable).
 */
import { expect, expectStoppedAtPreflight, test } from '../fixtures';
import { VERIFY_PATH, served } from '../support/emulator-client';
import { lockAccount } from './support';

const COOLDOWN_MS = '1000';

test.describe('staging readiness: a target that cannot be tested stops at the preflight', () => {
  test('an unreachable target: one failed preflight, "target unreachable … check TRANSAK_BASE_URL"', async ({ newClient, runSuite }) => {
    // A port an emulator listened on a moment ago: nothing listens there now.
    const closed = newClient();
    const { port } = new URL(await served(closed));
    await closed.close();
    const run = await runSuite({ env: { TRANSAK_BASE_URL: `http://127.0.0.1:${port}` } });
    expectStoppedAtPreflight(
      run,
      new RegExp(
        `^TargetError: target unreachable: POST 127\\.0\\.0\\.1:${port}/api/v2/auth/login failed with ECONNREFUSED; check TRANSAK_BASE_URL and the network path to it$`,
      ),
    );
  });

  const BOTH_FIXES = String.raw`either TRANSAK_API_KEY is not the staging partner key \(fix the key\), or this machine's egress IP is not on Transak's allowlist \(ask Transak to allowlist it; in CI use a self-hosted or static-IP runner\)$`;
  const CALLERS = [
    {
      title: 'a refused caller (wrong API key, or an egress IP off the allowlist): the preflight names both causes and both fixes',
      env: { TRANSAK_API_KEY: 'pk_wrong_key' },
      answered: String.raw`401 Unauthorized "API key missing or invalid" \(errorCode 1001\); the caller was refused: `,
    },
    {
      title: 'a caller off the allowlist (the right key, the wrong egress IP): the same line, naming both causes and both fixes',
      // The emulator admits only a documentation address (RFC 5737), so this loopback caller is refused as Transak refuses one.
      allowlist: ['192.0.2.10'],
      answered: '40[13] .*',
    },
  ];
  for (const { title, env, allowlist, answered } of CALLERS) {
    test(title, async ({ newClient, runSuite }) => {
      const url = await served(newClient({ otpCooldownMs: Number(COOLDOWN_MS), allowlist }));
      const run = await runSuite({ env: { TRANSAK_BASE_URL: url, TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS, ...env } });
      const line = String.raw`^AuthFlowError: Send User OTP failed: POST \/api\/v2\/auth\/login answered ${answered}${BOTH_FIXES}`;
      expectStoppedAtPreflight(run, new RegExp(line));
      expect(run.output, 'the key is never printed').not.toContain('pk_wrong_key');
    });
  }

  test('an OTP that does not verify: one failed preflight, "fix TRANSAK_OTP", and no second guess', async ({ newClient, runSuite }) => {
    // The emulator notes its answer to every verify call: their count is the claim.
    const emulator = newClient({ otpCooldownMs: Number(COOLDOWN_MS) });
    const verifies: number[] = [];
    emulator.app.addHook('onResponse', async (request, reply) => {
      if (request.routeOptions.url === VERIFY_PATH) verifies.push(reply.statusCode);
    });
    const url = await served(emulator);
    const run = await runSuite({ env: { TRANSAK_BASE_URL: url, TRANSAK_OTP: '000000', TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS } });
    expectStoppedAtPreflight(
      run,
      /^OtpRefusedError: Verify User OTP failed: POST \/api\/v2\/auth\/verify answered 400 Bad Request "Invalid OTP" \(errorCode 1007\); the fixed OTP source gave a code the target refused; fix TRANSAK_OTP \(qa-preflight-[a-z0-9]+-1@logout-suite\.test is not tried again in this run: 4 wrong OTPs lock the account for 24 h\)$/,
    );
    expect(verifies, 'one wrong OTP was sent, never a second one').toEqual([400]);
  });

  test('a locked account met at the preflight: one failed preflight, "is locked … remove it from TRANSAK_EMAILS"', async ({
    newClient,
    runSuite,
  }) => {
    const emulator = newClient({ otpCooldownMs: Number(COOLDOWN_MS) });
    const url = await served(emulator);
    await lockAccount(emulator, 'locked-at-preflight@example.com');
    const run = await runSuite({
      env: { TRANSAK_BASE_URL: url, TRANSAK_EMAILS: 'locked-at-preflight@example.com', TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS },
      args: ['--workers=1'],
    });
    expectStoppedAtPreflight(
      run,
      /^AccountLockedError: locked-at-preflight@example\.com is locked by the gateway \(too many wrong OTPs\): stopping without further attempts; unlock it or remove it from TRANSAK_EMAILS$/,
    );
  });
});
