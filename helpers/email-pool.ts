/**
 * Which test user logs in next. The gateway allows one OTP per address per cooldown (a minute on
 * Transak), so logins are spread over this process's share of the pool, least recently used first;
 * when every address was used within the cooldown, acquire() waits for the earliest to free up,
 * and says how long before it starts waiting (so the test's time budget can grow by that much).
 *
 * No two processes of a night share an address: the configured pool is partitioned by shard and
 * worker (processSlot), so one process's schedule can never collide with another's.
 */
import type { Clock } from './clock';
import type { OtpLedger } from './otp-ledger';
import { LoginsStoppedError } from './run-stop';

/** The test needs more distinct users than this process owns: a reason to skip, naming the fix. */
export class PoolTooSmallError extends Error {
  override name = 'PoolTooSmallError';
}

export interface AcquireOptions {
  /** Addresses this login must not use (a different user). */
  except?: string[];
  /** Told, before waiting, how many milliseconds this acquire will wait. */
  onWait?: (ms: number) => void;
}

export type EmailPool = ReturnType<typeof createEmailPool>;

export interface EmailPoolOptions {
  /** This process's addresses, or null to generate a fresh address for every acquire(). */
  emails: string[] | null;
  cooldownMs: number;
  clock: Clock;
  /** Told whenever acquire() has to wait. */
  onWait?: (message: string, ms: number) => void;
  /** Makes generated addresses unique per run and worker. */
  generatedPrefix?: string;
  /** Throws LoginsStoppedError for an address no login may use any more (run-stop.ts). */
  assertUsable?: (email: string) => void;
  /** The run's record of asks (otp-ledger.ts): read for each address at start, written on each ask. */
  ledger?: OtpLedger;
}

/**
 * Our clock and the gateway's differ by a little, and "60 s" is measured from when it received the
 * request: waiting exactly the cooldown would sometimes be answered "too soon".
 */
export function cooldownMargin(cooldownMs: number): number {
  return Math.min(2000, Math.max(250, Math.round(cooldownMs / 20)));
}

/** Which of the night's processes this is: shards × workers slots, numbered from 0. */
export function processSlot(shard: { current: number; total: number } | null, parallelIndex: number, workers: number) {
  const { current, total } = shard ?? { current: 1, total: 1 };
  return { slot: (current - 1) * workers + (parallelIndex % workers), slots: total * workers };
}

/** One process's share of the configured pool: every slots-th address, starting at its slot. */
export function partitionFor(emails: readonly string[], slot: number, slots: number): string[] {
  return emails.filter((_, i) => i % slots === slot);
}

/** The line said once at start: how many addresses each process got. */
export function partitionSummary(count: number, slots: number, shards: number): string {
  const low = Math.floor(count / slots);
  const high = Math.ceil(count / slots);
  const each = low === high ? `${low} each` : `${high} for ${count % slots} of them, ${low} for the rest`;
  return `[email pool] ${count} addresses for ${slots} processes (${shards} shard${shards === 1 ? '' : 's'} × ${slots / shards} workers): ${each}`;
}

export function createEmailPool(options: EmailPoolOptions) {
  const { emails, clock, onWait } = options;
  const spacing = options.cooldownMs + cooldownMargin(options.cooldownMs);
  /** The planned time of each address's latest login (reserved, maybe still in the future). */
  const reserved = new Map<string, number>();
  /** When each address's latest OTP was really asked for (markSent). */
  const sent = new Map<string, number>();
  let generated = 0;
  const prefix = options.generatedPrefix ?? `qa-${clock.now().toString(36)}`;

  for (const email of emails ?? []) {
    const at = options.ledger?.lastAsked(email);
    if (at !== undefined) sent.set(email, at);
  }

  const freeAt = (email: string): number => Math.max(reserved.get(email) ?? -Infinity, sent.get(email) ?? -Infinity) + spacing;

  // Reserving before waiting means two concurrent acquire() calls never pick the same slot.
  function reserve(email: string): number {
    const start = Math.max(freeAt(email), clock.now());
    reserved.set(email, start);
    return start;
  }

  async function sleepUntil(email: string, start: number, tell?: (ms: number) => void): Promise<void> {
    const wait = start - clock.now();
    if (wait <= 0) return;
    tell?.(wait);
    onWait?.(
      `${email} asked for an OTP within the last ${Math.round(options.cooldownMs / 1000)} s (the gateway's limit); waiting ${Math.ceil(wait / 1000)} s for it to free up`,
      wait,
    );
    await clock.sleep(wait);
  }

  /** Per address, the holders' releases in the order they acquired it. */
  const releases = new Map<string, Array<() => void>>();
  /** Per address, settles when its latest holder releases it. */
  const lastRelease = new Map<string, Promise<void>>();

  async function waitFor(email: string, start: number, tell?: (ms: number) => void): Promise<string> {
    const previous = lastRelease.get(email) ?? Promise.resolve();
    const mine = new Promise<void>((resolve) => (releases.get(email) ?? releases.set(email, []).get(email)!).push(resolve));
    lastRelease.set(
      email,
      previous.then(() => mine),
    );
    await sleepUntil(email, start, tell);
    // One login of an address at a time: the previous holder's outcome comes first.
    await previous;
    // The login before this one may have asked later than planned (a slow step, a loaded machine):
    // the cooldown runs from when it really asked, so wait out the difference too.
    await sleepUntil(email, (sent.get(email) ?? -Infinity) + spacing, tell);
    return email;
  }

  return {
    /** How many distinct users this pool can offer. */
    capacity: emails === null ? Infinity : emails.length,
    /** An address free to receive an OTP now (waiting if needed), marked as used from this moment. */
    async acquire({ except = [], onWait: tell }: AcquireOptions = {}): Promise<string> {
      if (emails === null) {
        generated += 1;
        const email = `${prefix}-${generated}@logout-suite.test`;
        reserved.set(email, clock.now());
        return email;
      }
      const others = emails.filter((e) => !except.includes(e));
      if (others.length === 0) {
        throw new PoolTooSmallError(
          `needs a test user besides ${except.join(', ')}, and this process owns no other address of TRANSAK_EMAILS: list at least 2 addresses per process (2 × shards × workers)`,
        );
      }
      const stopped: string[] = [];
      const candidates = others.filter((e) => {
        try {
          options.assertUsable?.(e);
          return true;
        } catch (error) {
          if (!(error instanceof LoginsStoppedError)) throw error;
          stopped.push(error.message);
          return false;
        }
      });
      if (candidates.length === 0) throw new LoginsStoppedError(stopped[0]);
      // Earliest free first; ties keep the configured order, so the schedule is deterministic.
      const next = candidates.reduce((best, e) => (freeAt(e) < freeAt(best) ? e : best));
      return waitFor(next, reserve(next), tell);
    },
    /** The same address again (a second session of one user), waiting out its cooldown. */
    async acquireSame(email: string, { onWait: tell }: Pick<AcquireOptions, 'onWait'> = {}): Promise<string> {
      return waitFor(email, reserve(email), tell);
    },
    /** The login that acquired the address is over: the next holder of it may go on. */
    release(email: string): void {
      releases.get(email)?.shift()?.();
    },
    /** An OTP is being asked for, or was refused as too soon, at `at`: the cooldown counts from then. */
    markSent(email: string, at = clock.now()): void {
      const latest = Math.max(sent.get(email) ?? -Infinity, at);
      sent.set(email, latest);
      options.ledger?.asked(email, latest);
    },
    /** Whether this process may log in with the address (it is in its share, or addresses are generated). */
    owns(email: string): boolean {
      return emails === null || emails.includes(email);
    },
  };
}
