import type { EmulatorOptions } from './options';
import { OtpDesk } from './otp';
import type { Policies } from './policies';
import type { Profile, ProfileName } from './profile';
import { RevocationStore } from './revocations';
import { Sessions } from './sessions';
import { TokenService } from './tokens';

/** The options of one emulator instance, every default filled in and checked (options.ts resolves them). */
export interface ResolvedOptions
  extends
    Pick<EmulatorOptions, 'onOtpIssued' | 'onSecretIssued' | 'allowlist' | 'statsFile'>,
    Required<Pick<EmulatorOptions, 'apiKey' | 'otp' | 'otpCooldownMs' | 'faults' | 'log' | 'clock'>> {
  profileName: ProfileName;
  profile: Readonly<Profile>;
  jwtSecret: Uint8Array;
  policies: Readonly<Policies>;
}

/**
 * Everything one emulator instance remembers, and the services its routes call. Each buildApp gets
 * its own, so tests never share state. A fault mode may replace a service method (faults.ts); the
 * routes read the services from here on every request, so they never know.
 */
export type EmulatorContext = ReturnType<typeof createContext>;

export function createContext(options: ResolvedOptions) {
  const { clock } = options;
  // The policies in force (policies.ts), read by the services and routes on every request. A copy
  // of the options' own: an allowed fault mode adopts a policy by changing it before any request.
  const policies: Policies = { ...options.policies };
  const revocations = new RevocationStore(clock);
  return {
    options,
    clock,
    policies,
    otps: new OtpDesk(options.otp, options.otpCooldownMs, clock),
    tokens: new TokenService(options.jwtSecret, options.apiKey, clock, () => policies.tokenTtlSeconds),
    revocations,
    sessions: new Sessions(revocations, policies),
  };
}
