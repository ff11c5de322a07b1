import { expect, test } from '@playwright/test';
import type { Clock } from '../../helpers/clock';
import { createEmailPool, partitionForWorker } from '../../helpers/email-pool';

/** A clock that only moves when someone sleeps on it, so schedules are exact. */
function fakeClock(start = 1_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

test.describe('email pool and the one-OTP-a-minute limit', () => {
  test('spreads logins over the pool, least recently used first', async () => {
    const clock = fakeClock();
    const pool = createEmailPool({ emails: ['a@x.io', 'b@x.io', 'c@x.io'], cooldownMs: 60_000, clock });
    expect([await pool.acquire(), await pool.acquire(), await pool.acquire()]).toEqual(['a@x.io', 'b@x.io', 'c@x.io']);
    expect(clock.slept).toEqual([]);
  });

  test('waits for the earliest address to free up when all were used within the cooldown, and says so', async () => {
    const clock = fakeClock();
    const waits: string[] = [];
    const pool = createEmailPool({ emails: ['a@x.io', 'b@x.io'], cooldownMs: 60_000, clock, onWait: (m) => waits.push(m) });
    await pool.acquire();
    await clock.sleep(10_000);
    await pool.acquire();
    expect(await pool.acquire()).toBe('a@x.io');
    expect(clock.slept).toEqual([10_000, 50_000]);
    expect(waits).toEqual([expect.stringMatching(/a@x\.io asked for an OTP within the last 60 s.*waiting 50 s/)]);
  });

  test('concurrent acquires never get the same slot', async () => {
    const clock = fakeClock();
    const pool = createEmailPool({ emails: ['a@x.io'], cooldownMs: 60_000, clock });
    const order = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    expect(order).toEqual(['a@x.io', 'a@x.io', 'a@x.io']);
    // Each reservation is one cooldown after the previous one (this fake clock advances as each sleep starts).
    expect(clock.slept).toEqual([60_000, 60_000]);
    expect(clock.now()).toBe(1_000_000 + 120_000);
  });

  test('a second session of one user waits out that address’s cooldown', async () => {
    const clock = fakeClock();
    const pool = createEmailPool({ emails: null, cooldownMs: 2000, clock });
    const email = await pool.acquire();
    expect(await pool.acquireSame(email)).toBe(email);
    expect(clock.slept).toEqual([2000]);
  });

  test('a refusal as too soon restarts the cooldown from now', async () => {
    const clock = fakeClock();
    const pool = createEmailPool({ emails: ['a@x.io'], cooldownMs: 60_000, clock });
    await pool.acquire();
    await clock.sleep(30_000);
    pool.markSent('a@x.io');
    await pool.acquire();
    expect(clock.slept).toEqual([30_000, 60_000]);
  });

  test('except= picks a different user, and fails clearly when there is none', async () => {
    const pool = createEmailPool({ emails: ['a@x.io'], cooldownMs: 60_000, clock: fakeClock() });
    await expect(pool.acquire({ except: ['a@x.io'] })).rejects.toThrow(/add addresses to TRANSAK_EMAILS/);
  });

  test('generated addresses are unique and never wait', async () => {
    const clock = fakeClock();
    const pool = createEmailPool({ emails: null, cooldownMs: 60_000, clock, generatedPrefix: 'qa-run' });
    const emails = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    expect(new Set(emails).size).toBe(3);
    expect(emails[0]).toMatch(/^qa-run-\d+@logout-suite\.test$/);
    expect(clock.slept).toEqual([]);
    expect(pool.capacity).toBe(Infinity);
  });

  test('workers share a large pool without overlap, and a small pool whole', () => {
    const emails = ['a', 'b', 'c', 'd', 'e'].map((n) => `${n}@x.io`);
    expect(partitionForWorker(emails, 0, 2)).toEqual(['a@x.io', 'c@x.io', 'e@x.io']);
    expect(partitionForWorker(emails, 1, 2)).toEqual(['b@x.io', 'd@x.io']);
    expect(partitionForWorker(emails.slice(0, 3), 1, 2)).toEqual(emails.slice(0, 3));
  });
});
