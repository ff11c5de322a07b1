/** Revoked token ids until their expiry, keyed by jti so that concurrent logouts of one token cannot conflict. */
export class RevocationStore {
  private readonly until = new Map<string, number>();

  constructor(private readonly clock: () => number) {}

  /** Revokes `jti` until `untilMs` (clock milliseconds); a repeated revocation never shortens one. */
  revoke(jti: string, untilMs: number): void {
    this.prune();
    this.until.set(jti, Math.max(untilMs, this.until.get(jti) ?? 0));
  }

  isRevoked(jti: string): boolean {
    const until = this.until.get(jti);
    return until !== undefined && this.clock() < until;
  }

  private prune(): void {
    const now = this.clock();
    for (const [jti, until] of this.until) if (until <= now) this.until.delete(jti);
  }
}
