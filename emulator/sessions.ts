import type { Policies } from './policies';
import type { RevocationStore } from './revocations';
import type { AccessClaims } from './tokens';

/** What a logout ends (the presented token's session, nothing else), and under one session per user what a login ends. */
export class Sessions {
  /** Live tokens per user, kept only under the one-session policy (the only reader). */
  private readonly byUser = new Map<string, AccessClaims[]>();

  constructor(
    private readonly revocations: RevocationStore,
    private readonly policies: Readonly<Pick<Policies, 'oneSessionPerUser'>> = { oneSessionPerUser: false },
  ) {}

  async end(claims: AccessClaims): Promise<void> {
    this.revocations.revoke(claims.jti, claims.exp * 1000);
  }

  /** A login (Verify User OTP) issued `claims`: under one session per user, the user's older tokens die. */
  async begin(claims: AccessClaims): Promise<void> {
    if (!this.policies.oneSessionPerUser) return;
    for (const older of this.byUser.get(claims.sub) ?? []) this.revocations.revoke(older.jti, older.exp * 1000);
    this.byUser.set(claims.sub, [claims]);
  }

  /** Refresh issued `claims` within a session: it dies with the session's other tokens. */
  track(claims: AccessClaims): void {
    if (!this.policies.oneSessionPerUser) return;
    this.byUser.set(claims.sub, [...(this.byUser.get(claims.sub) ?? []), claims]);
  }
}
