import { randomBytes, randomInt } from 'node:crypto';
import { ERR_ACCOUNT_LOCKED, ERR_INVALID_OTP, ERR_OTP_COOLDOWN, ERR_STATE_TOKEN } from './errors';
import { sameSecret } from './secrets';

/** The OTP setting that draws a fresh 6-digit OTP per login (EMULATOR_OTP=random). */
export const RANDOM_OTP = 'random';
export const STATE_TOKEN_TTL_SECONDS = 600;
export const MAX_WRONG_OTPS = 4;
export const LOCK_MS = 24 * 60 * 60 * 1000;

/** The OTP half of the login, as the reference describes it: one OTP a minute, a lock after four wrong ones in a row. */
export class OtpDesk {
  private readonly pending = new Map<string, { email: string; otp: string; expiresAt: number; used: boolean }>();
  private readonly lastIssued = new Map<string, number>();
  private readonly wrongAttempts = new Map<string, number>();
  private readonly lockedUntil = new Map<string, number>();
  private readonly verified = new Set<string>();

  constructor(
    private readonly otpSetting: string,
    private readonly cooldownMs: number,
    private readonly clock: () => number,
  ) {}

  issue(email: string): { stateToken: string; otp: string } {
    const now = this.clock();
    this.prune(now);
    this.assertUnlocked(email, now);
    const last = this.lastIssued.get(email);
    if (last !== undefined && now - last < this.cooldownMs) throw ERR_OTP_COOLDOWN();
    this.lastIssued.set(email, now);
    const stateToken = randomBytes(32).toString('base64url');
    const otp = this.otpSetting === RANDOM_OTP ? String(randomInt(0, 1_000_000)).padStart(6, '0') : this.otpSetting;
    this.pending.set(stateToken, { email, otp, expiresAt: now + STATE_TOKEN_TTL_SECONDS * 1000, used: false });
    return { stateToken, otp };
  }

  /** Undoes an issue whose OTP could not be delivered, so the user may ask again at once. */
  withdraw(email: string, stateToken: string): void {
    this.pending.delete(stateToken);
    this.lastIssued.delete(email);
  }

  /** Consumes the state token on success; throws the documented error otherwise. */
  verify(email: string, stateToken: string, otp: string): void {
    const now = this.clock();
    this.assertUnlocked(email, now);
    const login = this.pending.get(stateToken);
    if (!login || login.used || login.expiresAt <= now || login.email !== email) throw ERR_STATE_TOKEN();
    if (!sameSecret(otp, login.otp)) {
      const attempts = (this.wrongAttempts.get(email) ?? 0) + 1;
      this.wrongAttempts.set(email, attempts);
      if (attempts >= MAX_WRONG_OTPS) this.lockedUntil.set(email, now + LOCK_MS);
      throw ERR_INVALID_OTP();
    }
    login.used = true;
    this.wrongAttempts.delete(email);
    this.verified.add(email);
  }

  /** Whether this email ever verified an OTP here: a user who has not is a new user. */
  hasVerified(email: string): boolean {
    return this.verified.has(email);
  }

  private assertUnlocked(email: string, now: number): void {
    const until = this.lockedUntil.get(email);
    if (until === undefined) return;
    if (now < until) throw ERR_ACCOUNT_LOCKED();
    this.lockedUntil.delete(email);
    this.wrongAttempts.delete(email);
  }

  private prune(now: number): void {
    for (const [token, login] of this.pending) if (login.expiresAt <= now) this.pending.delete(token);
    for (const [email, at] of this.lastIssued) if (now - at >= this.cooldownMs) this.lastIssued.delete(email);
  }
}
