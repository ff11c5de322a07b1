import { expect, test } from '../fixtures';
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
