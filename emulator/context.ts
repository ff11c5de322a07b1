import { OtpDesk } from './otp';
import type { Policies } from './policies';
import type { Profile, ProfileName } from './profile';
import { RevocationStore } from './revocations';
import { Sessions } from './sessions';
import { TokenService } from './tokens';

/**
 * One instance's options, defaults filled in and checked (by options.ts). Written out, not derived from
 * EmulatorOptions: options.ts imports the fault catalogue, which imports this file; a type import back closes the circle.
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
 * What one instance remembers and the services its routes call, fresh per buildApp so tests share no
 * state. Routes read the services from here on every request, so a fault mode may replace a method unseen.
 */
export type EmulatorContext = ReturnType<typeof createContext>;

export function createContext(options: ResolvedOptions) {
  const { clock } = options;
  // A copy of the options' policies: an allowed fault mode adopts a policy by changing it before any request.
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
