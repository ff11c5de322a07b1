import type { AccessClaims } from './tokens';

/** When a revocation holds, in clock milliseconds: from <= now < until. */
export interface RevocationWindow {
  from: number;
  until: number;
}

/**
 * Revoked token ids. Keyed by jti, so revoking is idempotent and concurrent logouts of one token
 * cannot conflict; an entry is dropped once its token would have expired anyway.
 */
export class RevocationStore {
  private readonly entries = new Map<string, RevocationWindow>();

  constructor(private readonly clock: () => number) {}

  revoke(jti: string, window: RevocationWindow): void {
    this.prune();
    const existing = this.entries.get(jti);
    // A repeated logout must not move an existing revocation later or shorten it.
    if (existing) {
      existing.from = Math.min(existing.from, window.from);
      existing.until = Math.max(existing.until, window.until);
      return;
    }
    this.entries.set(jti, { ...window });
  }

  isRevoked(jti: string): boolean {
    const entry = this.entries.get(jti);
    if (!entry) return false;
    const now = this.clock();
    return now >= entry.from && now < entry.until;
  }

  private prune(): void {
    const now = this.clock();
    for (const [jti, entry] of this.entries) if (entry.until <= now) this.entries.delete(jti);
  }
}

interface IssuedToken {
  sub: string;
  issuedAt: number;
  expiresAt: number;
}

/**
 * Every token the emulator signed, so a logout can reach beyond the presented token (a user's
 * other sessions, or, as a bug, everybody's).
 */
export class IssuedTokens {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly clock: () => number) {}

  record(claims: AccessClaims): void {
    this.prune();
    this.tokens.set(claims.jti, { sub: claims.sub, issuedAt: this.clock(), expiresAt: claims.exp * 1000 });
  }

  /** [jti, expiresAt] of the tokens matching the predicate. */
  select(predicate: (sub: string, issuedAt: number) => boolean): Array<[string, number]> {
    const selected: Array<[string, number]> = [];
    for (const [jti, token] of this.tokens) if (predicate(token.sub, token.issuedAt)) selected.push([jti, token.expiresAt]);
    return selected;
  }

  private prune(): void {
    const now = this.clock();
    for (const [jti, token] of this.tokens) if (token.expiresAt <= now) this.tokens.delete(jti);
  }
}
