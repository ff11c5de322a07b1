import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorContext } from './context';
import { ERR_LOGOUT_CONFLICT } from './errors';
import type { RevocationWindow } from './revocations';
import type { AccessClaims } from './tokens';

/** How long the concurrent-logout fault holds a logout open, so overlapping calls reliably meet. */
export const IN_FLIGHT_MS = 50;

/** Ends the session of a verified token: revokes its jti (and, by policy or fault, others). */
export async function endSession(claims: AccessClaims, ctx: EmulatorContext): Promise<void> {
  const { concurrentLogoutCrashes, concurrentLogoutsRefused } = ctx.flags;
  if (!concurrentLogoutCrashes && !concurrentLogoutsRefused) {
    revoke(claims, ctx);
    return;
  }
  // Imitates a logout that locks the session row and trips over the lock a parallel call holds:
  // by crashing, or by refusing every party to the overlap, the first one included.
  if (ctx.logoutsInFlight.has(claims.jti)) {
    if (!concurrentLogoutsRefused) throw new Error('logout already in progress for this session');
    ctx.contendedLogouts.add(claims.jti);
    throw ERR_LOGOUT_CONFLICT();
  }
  ctx.logoutsInFlight.add(claims.jti);
  try {
    await sleep(IN_FLIGHT_MS);
    revoke(claims, ctx);
  } finally {
    ctx.logoutsInFlight.delete(claims.jti);
  }
  if (ctx.contendedLogouts.delete(claims.jti)) throw ERR_LOGOUT_CONFLICT();
}

function revoke(claims: AccessClaims, ctx: EmulatorContext): void {
  const { flags, revocations, issued } = ctx;
  if (!flags.logoutRevokes) return;
  const now = ctx.clock();
  const windowUntil = (expiresAt: number): RevocationWindow => ({
    from: now + flags.revocationDelayMs,
    until: flags.revocationLifetimeMs === null ? expiresAt : Math.min(expiresAt, now + flags.revocationLifetimeMs),
  });

  revocations.revoke(claims.jti, windowUntil(claims.exp * 1000));
  const alsoRevoked =
    flags.logoutScope === 'user'
      ? issued.select((sub) => sub === claims.sub)
      : flags.logoutScope === 'everyone'
        ? issued.select((_sub, issuedAt) => issuedAt <= now)
        : [];
  for (const [jti, expiresAt] of alsoRevoked) revocations.revoke(jti, windowUntil(expiresAt));
}
