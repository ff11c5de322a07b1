import type { ResolvedOptions } from './options';
import { OtpDesk } from './otp';
import { RevocationStore } from './revocations';
import { Sessions } from './sessions';
import { TokenService } from './tokens';

/**
 * Everything one emulator instance remembers, and the services its routes call. Each buildApp gets
 * its own, so tests never share state. A fault mode may replace a service method (faults.ts); the
 * routes read the services from here on every request, so they never know.
 */
export interface EmulatorContext {
  options: ResolvedOptions;
  clock: () => number;
  otps: OtpDesk;
  tokens: TokenService;
  revocations: RevocationStore;
  sessions: Sessions;
}

export function createContext(options: ResolvedOptions): EmulatorContext {
  const { clock } = options;
  const revocations = new RevocationStore(clock);
  return {
    options,
    clock,
    otps: new OtpDesk(options.otp, options.otpCooldownMs, clock),
    tokens: new TokenService(options.jwtSecret, options.apiKey, clock),
    revocations,
    sessions: new Sessions(revocations),
  };
}
