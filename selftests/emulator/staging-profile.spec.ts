// The staging profile: a correct server that behaves like Transak's gateway as documented and as
// public clients meet it (profile.ts). The kill matrix proves the whole suite passes against it;
// these are its pieces, one by one, through the emulator in process.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { maildirDelivery, HTML_OTP_SUBJECT } from '../../emulator/maildir';
import { OptionsError, optionsFromEnv, resolveOptions, type EmulatorOptions } from '../../emulator/options';
import type { OtpStats } from '../../emulator/stats';
import { expect, test } from '../fixtures';
import { API_KEY, LOGIN_PATH, PARTNER_HEADERS, emptyMaildir, uniqueEmail } from '../support/emulator-client';

const STAGING: EmulatorOptions = { profile: 'staging', allowlist: ['127.0.0.1', '::1'] };
const TOKEN_REJECTED = { statusCode: 401, message: 'Token missing, invalid or expired', errorCode: 1002 };

test.describe('choosing it', () => {
  test('--profile=staging or EMULATOR_PROFILE=staging, the command line first', async ({}, testInfo) => {
    const env = { EMULATOR_MAILDIR: emptyMaildir(testInfo.outputPath()), EMULATOR_ALLOWLIST: '127.0.0.1, ::1' };
    expect(optionsFromEnv(env, ['--profile=staging'])).toMatchObject({
      profile: 'staging',
      otp: 'random',
      allowlist: ['127.0.0.1', '::1'],
    });
    expect(optionsFromEnv({ ...env, EMULATOR_PROFILE: 'staging' }, []).profile).toBe('staging');
    expect(optionsFromEnv({ ...env, EMULATOR_PROFILE: 'staging' }, ['--profile=reference']).profile).toBe('reference');
  });

  test('each missing piece is one line naming the variable that supplies it', () => {
    expect(() => resolveOptions({ profile: 'staging', allowlist: ['127.0.0.1'] })).toThrow(
      new OptionsError("the staging profile delivers OTPs only by email: set EMULATOR_MAILDIR to the test mailbox's Maildir"),
    );
    const mailed = { onOtpIssued: () => undefined };
    expect(() => resolveOptions({ profile: 'staging', ...mailed })).toThrow(
      /^the staging profile admits only allowlisted callers: set EMULATOR_ALLOWLIST, like/,
    );
    expect(() => resolveOptions({ ...STAGING, ...mailed, otp: '123456' })).toThrow(
      'the staging profile draws a random OTP per login: unset EMULATOR_OTP',
    );
    expect(() => resolveOptions({ allowlist: ['localhost'] })).toThrow(
      'EMULATOR_ALLOWLIST holds "localhost", which is not an IP address: list addresses like 127.0.0.1,::1',
    );
    expect(() => optionsFromEnv({ EMULATOR_PROFILE: 'prod' }, [])).toThrow(
      /^unknown profile "prod" \(EMULATOR_PROFILE or --profile\); known: reference, staging$/,
    );
  });
});

test.describe('behaving like the gateway', () => {
  test.use({ emulatorOptions: STAGING });

  test('OTPs are random, six digits, and only in the email', async ({ client }) => {
    const email = uniqueEmail();
    const login = await client.login(email);
    expect(login.statusCode).toBe(200);
    expect(login.body).not.toContain(client.delivered.get(email));
    expect(client.delivered.get(email)).toMatch(/^\d{6}$/);
    const issued = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const other = uniqueEmail();
      await client.login(other);
      issued.add(client.delivered.get(other)!);
    }
    expect(issued.size, 'five logins, five different OTPs').toBeGreaterThan(1);
  });

  test('a new user has not accepted the terms; one who verified an OTP once has', async ({ newClient }) => {
    const client = newClient({ ...STAGING, otpCooldownMs: 0 });
    const email = uniqueEmail();
    expect((await client.login(email)).json().data.isTncAccepted).toBe(false);
    await client.token(email);
    expect((await client.login(email)).json().data.isTncAccepted).toBe(true);
  });

  test('one OTP a minute, and four wrong OTPs lock the address', async ({ newClient, clock }) => {
    const client = newClient({ ...STAGING, clock: clock.read });
    const email = uniqueEmail();
    const { stateToken } = (await client.login(email)).json().data;
    expect((await client.login(email)).json()).toEqual({
      error: { statusCode: 400, message: 'You can request a new OTP after 1 minute.', errorCode: 1019 },
    });
    clock.advance(60_000);
    expect((await client.login(email)).statusCode).toBe(200);
    const wrong = client.delivered.get(email) === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++)
      expect((await client.verify(email, stateToken, wrong)).json().error).toEqual({
        statusCode: 400,
        message: 'Invalid OTP',
        errorCode: 1007,
      });
    expect((await client.verify(email, stateToken)).json().error).toMatchObject({ statusCode: 403, errorCode: 1020 });
  });

  test('error bodies have the error-codes shape, with name only where logout documents it', async ({ client }) => {
    const token = await client.token();
    for (const res of [await client.user('not-a-token'), await client.refresh(undefined), await client.logout('not-a-token')]) {
      expect(res.json()).toEqual({ error: TOKEN_REJECTED });
    }
    expect((await client.logout(token, { method: 'GET' })).json()).toEqual({
      error: { statusCode: 405, message: 'Method not allowed; use POST', errorCode: 9002 },
    });
    expect((await client.inject({ method: 'GET', url: '/nowhere', headers: PARTNER_HEADERS })).json().error).not.toHaveProperty('name');
    expect(
      (await client.inject({ method: 'POST', url: '/api/v2/auth/login', headers: PARTNER_HEADERS, payload: {} })).json().error,
    ).toEqual({ statusCode: 400, message: expect.any(String), errorCode: 9001 });
    // Logout's 400 keeps the name its contract requires.
    const badBody = await client.logout(token, { contentType: 'application/json', payload: '{"apiKey":' });
    expect(badBody.json()).toEqual({
      error: { statusCode: 400, name: 'BadRequestError', message: 'Request body could not be parsed', errorCode: 9001 },
    });
  });
});

test.describe('the allowlist', () => {
  const from = (remoteAddress: string) => ({
    method: 'POST' as const,
    url: LOGIN_PATH,
    remoteAddress,
    headers: PARTNER_HEADERS,
    payload: { apiKey: API_KEY, email: uniqueEmail() },
  });

  test('is checked against the socket address; a refused caller looks like a wrong API key', async ({ newClient }) => {
    const client = newClient({ ...STAGING, allowlist: ['127.0.0.1', '2001:db8::7'] });
    expect((await client.inject(from('127.0.0.1'))).statusCode).toBe(200);
    expect((await client.inject(from('::ffff:127.0.0.1'))).statusCode, 'an IPv4 caller on a dual-stack socket').toBe(200);
    expect((await client.inject(from('2001:db8:0:0:0:0:0:7'))).statusCode).toBe(200);
    const wrongKey = await client.inject({ ...from('127.0.0.1'), headers: { ...PARTNER_HEADERS, 'x-api-key': 'wrong' } });
    for (const refused of ['::1', '203.0.113.9', '10.0.0.1']) {
      const res = await client.inject({ ...from(refused), headers: { ...PARTNER_HEADERS, 'x-forwarded-for': '127.0.0.1' } });
      expect([res.statusCode, res.json()], refused).toEqual([wrongKey.statusCode, wrongKey.json()]);
    }
    expect(wrongKey.json()).toEqual({ error: { statusCode: 401, message: 'API key missing or invalid', errorCode: 1001 } });
  });

  test('admits loopback only when it is listed', async ({ newClient }) => {
    const client = newClient({ ...STAGING, allowlist: ['203.0.113.9'] });
    expect((await client.inject(from('203.0.113.9'))).statusCode).toBe(200);
    expect((await client.inject(from('127.0.0.1'))).statusCode).toBe(401);
    expect((await client.inject(from('::1'))).statusCode).toBe(401);
  });
});

test('the OTP email is HTML to the plus-address, with other digit runs before and after the code', async ({}, testInfo) => {
  const maildir = emptyMaildir(testInfo.outputPath());
  await maildirDelivery(maildir, 'html')('qa+7@example.test', '042917');
  const [file] = readdirSync(join(maildir, 'new'));
  const mail = await simpleParser(readFileSync(join(maildir, 'new', file)));
  expect(mail.to).toMatchObject({ value: [{ address: 'qa+7@example.test' }] });
  expect(mail.subject).toBe(HTML_OTP_SUBJECT);
  expect(mail.html).toContain('042917');
  expect(mail.headers.get('content-type')).toMatchObject({ value: 'text/html' });
  const text = mail.text ?? '';
  const runs = text.match(/\d+/g) ?? [];
  expect(runs.filter((run) => run !== '042917').length, 'a date, a reference, an expiry, a phone number, a year…').toBeGreaterThanOrEqual(
    6,
  );
  expect(text.match(/\d{6}/)?.[0], 'the first six digits are not the code').not.toBe('042917');
  expect(text).toMatch(/Your verification code is:\s+042917\b/);
});

test('EMULATOR_STATS_FILE counts Send and Verify User OTP calls per address, and their refusals', async ({ newClient }, testInfo) => {
  const file = testInfo.outputPath('stats.json');
  const client = newClient({ statsFile: file });
  const email = uniqueEmail('QA');
  const { stateToken } = (await client.login(email)).json().data;
  await client.login(email); // too soon: 1019
  await client.verify(email, stateToken, '000000'); // wrong: 1007
  await client.verify(email.toUpperCase(), stateToken);
  await client.token(); // another address
  const stats = JSON.parse(readFileSync(file, 'utf8')) as OtpStats;
  const address = email.toLowerCase();
  expect(stats['send-user-otp'][address]).toEqual({ calls: 2, errorCodes: { 1019: 1 } });
  expect(stats['verify-user-otp'][address]).toEqual({ calls: 2, errorCodes: { 1007: 1 } });
  expect(Object.keys(stats['verify-user-otp'])).toHaveLength(2);
  expect(readFileSync(file, 'utf8')).not.toMatch(/\b\d{6}\b/); // counts, never an OTP
});
