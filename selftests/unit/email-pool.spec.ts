import { expect, test } from '../fixtures';
import { openOtpLedger } from '../../helpers/otp-ledger';
import { LoginsStoppedError } from '../../helpers/run-stop';
import {
  createEmailPool,
  type AcquireOptions,
  type EmailPool,
  partitionFor,
  partitionSummary,
  processSlot,
} from '../../helpers/email-pool';
import { fakeClock } from '../support/fake-clock';

/** A pool of `emails` with a 60 s cooldown (unless `options` say otherwise) on a fake clock. */
function poolOf(emails: string[] | null, options: Partial<Parameters<typeof createEmailPool>[0]> = {}) {
  const clock = fakeClock();
  return { clock, pool: createEmailPool({ emails, cooldownMs: 60_000, clock, ...options }) };
}

/** A login that is over at once: acquires the address and releases it for the next one. */
async function take(pool: EmailPool, options?: AcquireOptions): Promise<string> {
  const email = await pool.acquire(options);
  pool.release(email);
  return email;
}

test.describe('email pool and the one-OTP-a-minute limit', () => {
  test('spreads logins over the pool, least recently used first', async () => {
    const { clock, pool } = poolOf(['a@x.io', 'b@x.io', 'c@x.io']);
    expect([await take(pool), await take(pool), await take(pool)]).toEqual(['a@x.io', 'b@x.io', 'c@x.io']);
    expect(clock.slept).toEqual([]);
  });

  test('waits for the earliest address to free up when all were used within the cooldown, and says so', async () => {
    const waits: string[] = [];
    const { clock, pool } = poolOf(['a@x.io', 'b@x.io'], { onWait: (m) => waits.push(m) });
    await take(pool);
    await clock.sleep(10_000);
    await take(pool);
    expect(await take(pool)).toBe('a@x.io');
    expect(clock.slept).toEqual([10_000, 52_000]);
    expect(waits).toEqual([expect.stringMatching(/a@x\.io asked for an OTP within the last 60 s.*waiting 52 s/)]);
  });

  test('concurrent acquires never get the same slot, and each waits the cooldown plus a margin (never "too soon" by the gateway\'s clock)', async () => {
    const { clock, pool } = poolOf(['a@x.io']);
    const order = await Promise.all([take(pool), take(pool), take(pool)]);
    expect(order).toEqual(['a@x.io', 'a@x.io', 'a@x.io']);
    // Each reservation is one cooldown plus the 2 s margin after the previous one (this fake clock advances as each sleep starts).
    expect(clock.slept).toEqual([62_000, 62_000]);
    expect(clock.now()).toBe(1_000_000 + 124_000);
  });

  test('a second session of one user waits out that address’s cooldown', async () => {
    const { clock, pool } = poolOf(null, { cooldownMs: 2000 });
    const email = await take(pool);
    expect(await pool.acquireSame(email)).toBe(email);
    expect(clock.slept).toEqual([2250]);
  });

  test('a refusal as too soon restarts the cooldown from now', async () => {
    const { clock, pool } = poolOf(['a@x.io']);
    await take(pool);
    await clock.sleep(30_000);
    pool.markSent('a@x.io');
    await take(pool);
    expect(clock.slept).toEqual([30_000, 62_000]);
  });

  test('except= picks a different user, and when this process owns none says so, naming the fix', async () => {
    const { pool } = poolOf(['a@x.io', 'b@x.io']);
    expect(await take(pool, { except: ['a@x.io'] })).toBe('b@x.io');
    await expect(take(pool, { except: ['a@x.io', 'b@x.io'] })).rejects.toThrow(
      /list at least 2 addresses per process \(2 × shards × workers\)/,
    );
  });

  test('generated addresses are unique and never wait', async () => {
    const { clock, pool } = poolOf(null, { generatedPrefix: 'qa-run' });
    const emails = await Promise.all([take(pool), take(pool), take(pool)]);
    expect(new Set(emails).size).toBe(3);
    expect(emails[0]).toMatch(/^qa-run-\d+@logout-suite\.test$/);
    expect(clock.slept).toEqual([]);
    expect(pool.capacity).toBe(Infinity);
  });

  test('the pool is partitioned by shard and worker: no two processes of a night share an address', () => {
    const emails = Array.from({ length: 12 }, (_, i) => `qa+${i + 1}@x.io`);
    const shares = [1, 2].flatMap((current) =>
      [0, 1, 2, 3].map((worker) => {
        const { slot, slots } = processSlot({ current, total: 2 }, worker, 4);
        return partitionFor(emails, slot, slots);
      }),
    );
    expect(shares.flat().sort()).toEqual([...emails].sort());
    expect(new Set(shares.flat()).size).toBe(12);
    expect(shares.map((s) => s.length)).toEqual([2, 2, 2, 2, 1, 1, 1, 1]);
    expect(processSlot(null, 5, 4)).toEqual({ slot: 1, slots: 4 });
    expect(partitionSummary(12, 8, 2)).toBe(
      '[email pool] 12 addresses for 8 processes (2 shards × 4 workers): 2 for 4 of them, 1 for the rest',
    );
  });

  test('a login that asked later than planned pushes the next one of its address back: the cooldown runs from the real ask', async () => {
    const { clock, pool } = poolOf(['a@x.io']);
    const told: number[] = [];
    expect(await take(pool)).toBe('a@x.io');
    // The second login is reserved 62 s after the first's slot; the first holder then asks 3 s late.
    const second = take(pool, { onWait: (ms) => told.push(ms) });
    pool.markSent('a@x.io', 1_000_000 + 3000);
    expect(await second).toBe('a@x.io');
    expect(told).toEqual([62_000, 3000]);
    expect(clock.now() - 1_000_000).toBe(65_000);
  });

  test("a worker process that takes over a share (a new project, a restart) waits out its predecessor's asks, from the run's ledger", async ({}, testInfo) => {
    const { clock, pool: predecessor } = poolOf(['a@x.io'], { ledger: openOtpLedger(testInfo.outputPath()) });
    await take(predecessor);
    predecessor.markSent('a@x.io');
    await clock.sleep(10_000);
    await take(createEmailPool({ emails: ['a@x.io'], cooldownMs: 60_000, clock, ledger: openOtpLedger(testInfo.outputPath()) }));
    expect(clock.slept).toEqual([10_000, 52_000]);
  });

  test('one login of an address at a time: the next holder goes on only once the previous one released it', async () => {
    const { pool } = poolOf(['a@x.io'], { cooldownMs: 0 });
    const order: string[] = [];
    expect(await pool.acquire()).toBe('a@x.io');
    const second = pool.acquire().then((email) => order.push(`second got ${email}`));
    await Promise.resolve();
    order.push('first released');
    pool.release('a@x.io');
    await second;
    expect(order).toEqual(['first released', 'second got a@x.io']);
  });

  test('an address used by the preflight is not handed out again inside its cooldown', async () => {
    const { clock, pool } = poolOf(['a@x.io', 'b@x.io']);
    pool.markSent('a@x.io', clock.now() - 1000);
    expect(await take(pool)).toBe('b@x.io');
    const told: number[] = [];
    expect(await take(pool, { onWait: (ms) => told.push(ms) })).toBe('a@x.io');
    expect(told).toEqual([61_000]);
  });

  test('stopped addresses are passed over, and when all are stopped the reason is given', async () => {
    const stopped = new Set(['a@x.io']);
    // What run-stop.ts does for a stopped address, over a set the test controls.
    const assertUsable = (email: string): void => {
      if (stopped.has(email)) throw new LoginsStoppedError(`not run: no more logins with ${email}`);
    };
    const { pool } = poolOf(['a@x.io', 'b@x.io'], { assertUsable });
    expect(await take(pool)).toBe('b@x.io');
    stopped.add('b@x.io');
    await expect(take(pool)).rejects.toThrow('not run: no more logins with a@x.io');
  });
});
