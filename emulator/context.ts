import { flagsFor, type FaultFlags } from './faults';
import type { ResolvedOptions } from './options';
import { OtpDesk } from './otp';
import { IssuedTokens, RevocationStore } from './revocations';
import { TokenService } from './tokens';

/** Everything one emulator instance remembers; each buildApp gets its own, so tests never share state. */
export interface EmulatorContext {
  options: ResolvedOptions;
  flags: Readonly<FaultFlags>;
  clock: () => number;
  otps: OtpDesk;
  tokens: TokenService;
  issued: IssuedTokens;
  revocations: RevocationStore;
  /** jtis whose logout is in progress; only the concurrent-logout faults look at it. */
  logoutsInFlight: Set<string>;
  /** jtis whose in-flight logout met a parallel one (concurrent-logouts-all-refused). */
  contendedLogouts: Set<string>;
}

export function createContext(options: ResolvedOptions): EmulatorContext {
  const { clock } = options;
  return {
    options,
    flags: Object.freeze(flagsFor(options.faults)),
    clock,
    otps: new OtpDesk(options.otp, options.otpCooldownMs, clock),
    tokens: new TokenService(options.jwtSecret, options.apiKey, clock),
    issued: new IssuedTokens(clock),
    revocations: new RevocationStore(clock),
    logoutsInFlight: new Set(),
    contendedLogouts: new Set(),
  };
}
