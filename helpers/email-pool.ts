/**
 * Which test user logs in next. The gateway allows one OTP per email per cooldown (a minute on
 * Transak), so logins are spread over the pool, least recently used first; when every address was
 * used within the cooldown, acquire() waits for the earliest to free up and says so.
 */
import type { Clock } from './clock';

export interface EmailPool {
  /** An address free to receive an OTP now (waiting if needed), marked as used from this moment. */
  acquire(options?: { except?: string[] }): Promise<string>;
  /** The same address again (a second session of one user), waiting out its cooldown. */
  acquireSame(email: string): Promise<string>;
  /** An OTP was just sent (or refused as too soon): the cooldown counts from now. */
  markSent(email: string): void;
  /** How many distinct users this pool can offer. */
  readonly capacity: number;
}

export interface EmailPoolOptions {
  /** Configured addresses, or null to generate a fresh address for every acquire(). */
  emails: string[] | null;
  cooldownMs: number;
  clock: Clock;
  /** Told whenever acquire() has to wait, with the number of milliseconds. */
  onWait?: (message: string, ms: number) => void;
  /** Makes generated addresses unique per run and worker. */
  generatedPrefix?: string;
}

/** The share of a configured pool that one worker uses, so parallel workers do not collide. */
export function partitionForWorker(emails: string[], parallelIndex: number, workers: number): string[] {
  if (emails.length < workers * 2) return emails;
  return emails.filter((_, i) => i % workers === parallelIndex % workers);
}

export function createEmailPool(options: EmailPoolOptions): EmailPool {
  const { emails, cooldownMs, clock, onWait } = options;
  const lastUsed = new Map<string, number>();
  let generated = 0;
  const prefix = options.generatedPrefix ?? `qa-${clock.now().toString(36)}`;

  const freeAt = (email: string): number => (lastUsed.get(email) ?? -Infinity) + cooldownMs;

  // Reserving before waiting means two concurrent acquire() calls never pick the same slot.
  function reserve(email: string): number {
    const start = Math.max(freeAt(email), clock.now());
    lastUsed.set(email, start);
    return start;
  }

  async function waitFor(email: string, start: number): Promise<string> {
    const wait = start - clock.now();
    if (wait > 0) {
      onWait?.(`${email} asked for an OTP within the last ${Math.round(cooldownMs / 1000)} s (the gateway's limit); waiting ${Math.ceil(wait / 1000)} s for it to free up`, wait);
      await clock.sleep(wait);
    }
    return email;
  }

  return {
    capacity: emails === null ? Infinity : emails.length,
    async acquire({ except = [] } = {}) {
      if (emails === null) {
        generated += 1;
        const email = `${prefix}-${generated}@logout-suite.test`;
        lastUsed.set(email, clock.now());
        return email;
      }
      const candidates = emails.filter((e) => !except.includes(e));
      if (candidates.length === 0) throw new Error('the email pool has no address besides the ones this test already uses: add addresses to TRANSAK_EMAILS');
      // Earliest free first; ties keep the configured order, so the schedule is deterministic.
      const next = candidates.reduce((best, e) => (freeAt(e) < freeAt(best) ? e : best));
      return waitFor(next, reserve(next));
    },
    async acquireSame(email) {
      return waitFor(email, reserve(email));
    },
    markSent(email) {
      lastUsed.set(email, Math.max(lastUsed.get(email) ?? -Infinity, clock.now()));
    },
  };
}
