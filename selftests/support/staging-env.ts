import { expect } from '@playwright/test';
import { ConfigError, loadConfig } from '../../helpers/config';

/** A complete, valid configuration of a remote (staging) target; tests change one variable at a time. */
export const STAGING_ENV = {
  TRANSAK_BASE_URL: 'https://api-gateway-stg.transak.com',
  TRANSAK_API_KEY: 'pk_staging_0123456789',
  TRANSAK_EMAILS: 'qa1@example.com, qa2@example.com',
  TRANSAK_OTP: '654321',
  TRANSAK_USER_IP: '203.0.113.7',
};

/** The one-line ConfigError that `env` is refused with. */
export function configErrorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message, 'a configuration error is one line').not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError');
}
