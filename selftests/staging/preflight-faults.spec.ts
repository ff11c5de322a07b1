/**
 * A target that cannot be tested stops the run at the preflight: one line that names the fix, and
 * no test run (Allure and the job summary sort failures by its wording: keep it stable).
 */
import { createServer } from 'node:net';
import { expect, PREFLIGHT_LEAD, test, type SuiteRun } from '../fixtures';
import { lockAccount, loggedRequests } from './support';

const COOLDOWN_MS = '1000';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function expectStoppedAtPreflight(run: SuiteRun, line: RegExp): void {
  expect(run.globalErrors, run.output.slice(-1500)).toHaveLength(1);
  expect(run.globalErrors[0].startsWith(PREFLIGHT_LEAD), run.globalErrors[0]).toBe(true);
  expect(run.globalErrors[0].slice(PREFLIGHT_LEAD.length)).toMatch(line);
  expect(run.exitCode).not.toBe(0);
  expect(
    run.tests.filter((t) => t.status !== 'skipped').map((t) => `${t.title}: ${t.status}`),
    'no test ran',
  ).toEqual([]);
}

test.describe('staging readiness: a target that cannot be tested stops at the preflight', () => {
  test.describe.configure({ timeout: 90_000 });

  test('an unreachable target: one failed preflight, "target unreachable … check TRANSAK_BASE_URL"', async ({ runSuite }) => {
    const port = await closedPort();
    const run = await runSuite({ env: { TRANSAK_BASE_URL: `http://127.0.0.1:${port}` } });
    expectStoppedAtPreflight(
      run,
      new RegExp(
        `^TargetError: target unreachable: POST 127\\.0\\.0\\.1:${port}/api/v2/auth/login failed with ECONNREFUSED; check TRANSAK_BASE_URL and the network path to it$`,
      ),
    );
  });

  test('a refused caller (wrong API key, or an egress IP off the allowlist): the preflight names both causes and both fixes', async ({
    runningEmulator,
    runSuite,
  }) => {
    const emulator = await runningEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS } });
    const run = await runSuite({
      env: { TRANSAK_BASE_URL: emulator.url, TRANSAK_API_KEY: 'pk_wrong_key', TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS },
    });
    expectStoppedAtPreflight(
      run,
      /^AuthFlowError: Send User OTP failed: POST \/api\/v2\/auth\/login answered 401 Unauthorized "API key missing or invalid" \(errorCode 1001\); the caller was refused: either TRANSAK_API_KEY is not the staging partner key \(fix the key\), or this machine's egress IP is not on Transak's allowlist \(ask Transak to allowlist it; in CI use a self-hosted or static-IP runner\)$/,
    );
    expect(run.output, 'the key is never printed').not.toContain('pk_wrong_key');
  });

  test('a caller off the allowlist (the right key, the wrong egress IP): the same line, naming both causes and both fixes', async ({
    runningEmulator,
    runSuite,
  }) => {
    // The emulator admits only a documentation address (RFC 5737), so this loopback caller is refused as Transak refuses one.
    const emulator = await runningEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS, EMULATOR_ALLOWLIST: '192.0.2.10' } });
    const run = await runSuite({ env: { TRANSAK_BASE_URL: emulator.url, TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS } });
    expectStoppedAtPreflight(
      run,
      /^AuthFlowError: Send User OTP failed: POST \/api\/v2\/auth\/login answered 40[13] .*either TRANSAK_API_KEY is not the staging partner key \(fix the key\), or this machine's egress IP is not on Transak's allowlist \(ask Transak to allowlist it; in CI use a self-hosted or static-IP runner\)$/,
    );
  });

  test('an OTP that does not verify: one failed preflight, "fix TRANSAK_OTP", and no second guess', async ({
    runningEmulator,
    runSuite,
  }) => {
    // The emulator logs its requests: the count of verify calls is the claim.
    const emulator = await runningEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS, EMULATOR_LOG: '1' } });
    const run = await runSuite({ env: { TRANSAK_BASE_URL: emulator.url, TRANSAK_OTP: '000000', TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS } });
    expectStoppedAtPreflight(
      run,
      /^OtpRefusedError: Verify User OTP failed: POST \/api\/v2\/auth\/verify answered 400 Bad Request "Invalid OTP" \(errorCode 1007\); the fixed OTP source gave a code the target refused; fix TRANSAK_OTP \(qa-preflight-[a-z0-9]+-1@logout-suite\.test is not tried again in this run: 4 wrong OTPs lock the account for 24 h\)$/,
    );
    await emulator.stop();
    const verifies = loggedRequests(emulator.output()).filter((r) => r.path === '/api/v2/auth/verify');
    expect(
      verifies.map((r) => r.status),
      'one wrong OTP was sent, never a second one',
    ).toEqual([400]);
  });

  test('a locked account met at the preflight: one failed preflight, "is locked … remove it from TRANSAK_EMAILS"', async ({
    runningEmulator,
    runSuite,
  }) => {
    const emulator = await runningEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS } });
    await lockAccount(emulator.url, 'locked-at-preflight@example.com');
    const run = await runSuite({
      env: { TRANSAK_BASE_URL: emulator.url, TRANSAK_EMAILS: 'locked-at-preflight@example.com', TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS },
      args: ['--workers=1'],
    });
    expectStoppedAtPreflight(
      run,
      /^AccountLockedError: locked-at-preflight@example\.com is locked by the gateway \(too many wrong OTPs\): stopping without further attempts; unlock it or remove it from TRANSAK_EMAILS$/,
    );
  });
});
