import { expect, test } from '../fixtures';
import { emptyMaildir } from '../support/emulator-client';
import { UnknownFaultModeError } from '../../emulator/faults';
import {
  DEFAULT_API_KEY,
  DEFAULT_OTP,
  DEFAULT_OTP_COOLDOWN_MS,
  OptionsError,
  optionsFromEnv,
  resolveOptions,
} from '../../emulator/options';

test('defaults', () => {
  expect(optionsFromEnv({}, [])).toEqual({
    host: '127.0.0.1',
    port: 0,
    profile: 'reference',
    apiKey: DEFAULT_API_KEY,
    otp: DEFAULT_OTP,
    otpCooldownMs: DEFAULT_OTP_COOLDOWN_MS,
    faults: [],
    log: false,
  });
  expect(DEFAULT_API_KEY).toBe('emulator-partner-api-key');
  expect(DEFAULT_OTP).toBe('123456');
});

test('environment variables', () => {
  const options = optionsFromEnv(
    {
      EMULATOR_HOST: '::1',
      EMULATOR_PORT: '8123',
      EMULATOR_API_KEY: 'k',
      EMULATOR_OTP: 'random',
      EMULATOR_OTP_COOLDOWN_MS: '0',
      EMULATOR_JWT_SECRET: 's3cret',
      EMULATOR_LOG: '1',
    },
    [],
  );
  expect(options).toMatchObject({ host: '::1', port: 8123, apiKey: 'k', otp: 'random', otpCooldownMs: 0, log: true });
  expect(options.jwtSecret).toBe('s3cret');
});

test('a fresh random JWT secret per start unless one is given', () => {
  const a = resolveOptions({}).jwtSecret;
  const b = resolveOptions({}).jwtSecret;
  expect(a).toHaveLength(32);
  expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  expect(Buffer.from(resolveOptions({ jwtSecret: 'x' }).jwtSecret).toString()).toBe('x');
});

test('fault modes come from argv only, never from the environment', () => {
  expect(optionsFromEnv({ EMULATOR_FAULTS: 'slow-logout', FAULTS: 'slow-logout' }, []).faults).toEqual([]);
  expect(optionsFromEnv({}, ['--faults=slow-logout,logout-201']).faults).toEqual(['slow-logout', 'logout-201']);
  expect(optionsFromEnv({}, ['--faults', 'slow-logout']).faults).toEqual(['slow-logout']);
  expect(optionsFromEnv({}, ['--faults=']).faults).toEqual([]);
});

test('invalid invocations throw', () => {
  expect(() => optionsFromEnv({}, ['--faults=slow-logout,nope'])).toThrow(UnknownFaultModeError);
  expect(() => optionsFromEnv({}, ['--fault=slow-logout'])).toThrow(OptionsError);
  expect(() => optionsFromEnv({ EMULATOR_PORT: '80x' }, [])).toThrow(OptionsError);
  expect(() => optionsFromEnv({ EMULATOR_PORT: '70000' }, [])).toThrow(OptionsError);
  expect(() => optionsFromEnv({ EMULATOR_OTP_COOLDOWN_MS: '-1' }, [])).toThrow(OptionsError);
  expect(() => resolveOptions({ otpCooldownMs: 1.5 })).toThrow(OptionsError);
});

test('policies from the environment, each alone and with the staging profile', ({}, testInfo) => {
  const maildir = emptyMaildir(testInfo.outputPath());
  expect(
    optionsFromEnv(
      {
        EMULATOR_ONE_SESSION_PER_USER: '1',
        EMULATOR_RATE_LIMIT_EVERY: '5',
        EMULATOR_RATE_LIMIT_RETRY_AFTER: '1',
        EMULATOR_TOKEN_TTL_SECONDS: '45',
        EMULATOR_REFRESH_NEEDS_API_KEY: '1',
      },
      [],
    ),
  ).toMatchObject({
    oneSessionPerUser: true,
    rateLimit: { every: 5, retryAfterSeconds: 1 },
    tokenTtlSeconds: 45,
    refreshNeedsApiKeyQuery: true,
  });
  expect(optionsFromEnv({ EMULATOR_RATE_LIMIT_EVERY: '3' }, []).rateLimit).toEqual({ every: 3, retryAfterSeconds: undefined });
  expect(optionsFromEnv({ EMULATOR_ONE_SESSION_PER_USER: '0' }, []).oneSessionPerUser).toBe(false);
  const staging = optionsFromEnv({ EMULATOR_MAILDIR: maildir, EMULATOR_ALLOWLIST: '127.0.0.1', EMULATOR_TOKEN_TTL_SECONDS: '45' }, [
    '--profile=staging',
  ]);
  expect(staging).toMatchObject({ profile: 'staging', tokenTtlSeconds: 45 });
  expect(resolveOptions(staging).policies).toEqual({
    oneSessionPerUser: false,
    rateLimit: undefined,
    tokenTtlSeconds: 45,
    refreshNeedsApiKeyQuery: false,
  });
});

test('a bad policy value is one OptionsError line that names what to fix', () => {
  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ EMULATOR_ONE_SESSION_PER_USER: 'yes' }, /^EMULATOR_ONE_SESSION_PER_USER must be 1 \(on\) or 0 \(off\), got "yes"$/],
    [{ EMULATOR_REFRESH_NEEDS_API_KEY: 'true' }, /^EMULATOR_REFRESH_NEEDS_API_KEY must be 1/],
    [{ EMULATOR_TOKEN_TTL_SECONDS: '0' }, /^EMULATOR_TOKEN_TTL_SECONDS must be 1 or more/],
    [{ EMULATOR_TOKEN_TTL_SECONDS: '4.5' }, /^EMULATOR_TOKEN_TTL_SECONDS must be an integer/],
    [{ EMULATOR_RATE_LIMIT_EVERY: '1' }, /^EMULATOR_RATE_LIMIT_EVERY must be 2 or more/],
    [{ EMULATOR_RATE_LIMIT_EVERY: 'x' }, /^EMULATOR_RATE_LIMIT_EVERY must be an integer/],
    [{ EMULATOR_RATE_LIMIT_EVERY: '5', EMULATOR_RATE_LIMIT_RETRY_AFTER: '-1' }, /^EMULATOR_RATE_LIMIT_RETRY_AFTER must be an integer/],
    [{ EMULATOR_RATE_LIMIT_RETRY_AFTER: '1' }, /^EMULATOR_RATE_LIMIT_RETRY_AFTER needs EMULATOR_RATE_LIMIT_EVERY/],
  ];
  for (const [env, message] of bad) {
    expect(() => optionsFromEnv(env, []), JSON.stringify(env)).toThrow(OptionsError);
    expect(() => optionsFromEnv(env, []), JSON.stringify(env)).toThrow(message);
  }
  expect(() => resolveOptions({ tokenTtlSeconds: 0 })).toThrow(OptionsError);
  expect(() => resolveOptions({ rateLimit: { every: 1, retryAfterSeconds: undefined } })).toThrow(OptionsError);
  expect(() => resolveOptions({ rateLimit: { every: 2, retryAfterSeconds: 0.5 } })).toThrow(OptionsError);
});
