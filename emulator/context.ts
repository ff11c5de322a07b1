import { OtpDesk } from './otp';
import type { Policies } from './policies';
import type { Profile, ProfileName } from './profile';
import { RevocationStore } from './revocations';
import { Sessions } from './sessions';
import { TokenService } from './tokens';

/**
 * The options of one emulator instance, every default filled in and checked (options.ts resolves them).
 * Written out rather than derived from options.ts's EmulatorOptions: options.ts imports the fault
 * catalogue, whose modules import this file, and a type import back would close the circle.
 */
export interface ResolvedOptions {
  profileName: ProfileName;
  profile: Readonly<Profile>;
  apiKey: string;
  otp: string;
  otpCooldownMs: number;
  jwtSecret: Uint8Array;
  faults: readonly string[];
  log: boolean;
  onOtpIssued?: (email: string, otp: string) => void | Promise<void>;
  onSecretIssued?: (secret: string) => void;
  clock: () => number;
  allowlist?: readonly string[];
  statsFile?: string;
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
