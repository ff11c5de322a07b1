/**
 * The emulator's staging-readiness options: mail delivery into a Maildir (EMULATOR_MAILDIR), network
 * noise (EMULATOR_NOISE=1) and a hang (--hang=/path --hang-count=N). All off by default; a bad value
 * is a bad invocation (OptionsError, exit code 2 from server.ts).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures';
import { buildApp } from '../../emulator/app';
import { maildirDelivery, OTP_SUBJECT } from '../../emulator/maildir';
import { DEFAULT_NOISE } from '../../emulator/network';
import { OptionsError, optionsFromEnv } from '../../emulator/options';

test.describe('emulator options for staging readiness', () => {
  test('nothing is on by default', () => {
    const { noise, hang, onOtpIssued } = optionsFromEnv({}, []);
    expect([noise, hang, onOtpIssued]).toEqual([undefined, undefined, undefined]);
  });

  test('EMULATOR_NOISE=1 and --hang/--hang-count are read; bad values are bad invocations', () => {
    expect(optionsFromEnv({ EMULATOR_NOISE: '1' }, []).noise).toEqual(DEFAULT_NOISE);
    expect(optionsFromEnv({}, ['--hang=/api/v1/auth/logout', '--hang-count=1', '--faults=logout-201'])).toMatchObject({
      hang: { path: '/api/v1/auth/logout', count: 1 },
      faults: ['logout-201'],
    });
    expect(optionsFromEnv({}, ['--hang=/api/v2/user/']).hang).toEqual({ path: '/api/v2/user/', count: Infinity });
    expect(optionsFromEnv({}, ['--hang=/api/v2/user/', '--hang-after=1']).hang).toEqual({
      path: '/api/v2/user/',
      count: Infinity,
      after: 1,
    });
    expect(() => optionsFromEnv({}, ['--hang-after=1'])).toThrow('--hang-count and --hang-after need --hang=/path');
    expect(() => optionsFromEnv({ EMULATOR_NOISE: 'yes' }, [])).toThrow(OptionsError);
    expect(() => optionsFromEnv({}, ['--hang-count=1'])).toThrow('--hang-count and --hang-after need --hang=/path');
    expect(() => optionsFromEnv({}, ['--hang=logout'])).toThrow(OptionsError);
    expect(() => optionsFromEnv({ EMULATOR_MAILDIR: '/nonexistent/Maildir' }, [])).toThrow(/is not a Maildir/);
  });

  test('a hung path is never answered; other paths are', async () => {
    const app = buildApp({ hang: { path: '/api/v1/auth/logout', count: 1 } });
    try {
      const hung = app.inject({ method: 'POST', url: '/api/v1/auth/logout' }).then(() => 'answered');
      const outcome = await Promise.race([hung, new Promise((resolve) => setTimeout(() => resolve('no answer'), 500))]);
      expect(outcome).toBe('no answer');
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode, 'only the first one hangs').toBe(401);
    } finally {
      void app.close();
    }
  });

  test('each OTP becomes an RFC 5322 email in Maildir/new, written through tmp/', async ({ newClient }, testInfo) => {
    const dir = testInfo.outputPath('Maildir');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
    // The email is delivered before the login is answered.
    const login = await newClient({ otp: 'random', onOtpIssued: maildirDelivery(dir) }).login('Mail.Test@Example.com');
    expect(login.statusCode).toBe(200);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    const [file] = readdirSync(join(dir, 'new'));
    const text = readFileSync(join(dir, 'new', file), 'utf8');
    expect(text).toMatch(/^From: .+\r\nTo: <mail\.test@example\.com>\r\nSubject: Your Transak OTP\r\nDate: .+\r\nMessage-ID: <.+>\r\n/);
    expect(text).toContain(`Subject: ${OTP_SUBJECT}`);
    expect(text).toMatch(/\r\n\r\nYour Transak OTP is \d{6}\.\r\n/);
  });
});
