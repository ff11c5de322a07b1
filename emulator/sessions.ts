import type { RevocationStore } from './revocations';
import type { AccessClaims } from './tokens';

/** What a logout ends: the session of the presented token, and nothing else. */
export class Sessions {
  constructor(private readonly revocations: RevocationStore) {}

  async end(claims: AccessClaims): Promise<void> {
    this.revocations.revoke(claims.jti, claims.exp * 1000);
  }
}
