/**
 * Never cry wolf: the whole suite, repeated (--repeat-each: the `soakRepeats` option, 20 in
 * `npm run soak`; soak.yml runs it every night), against the reference emulator, plain and
 * under network noise (0-200 ms latency, connection resets before any handler): 0 failed, 0 flaky,
 * nothing skipped. Retries stay off; the only allowance is the transport retry of a connection reset
 * before any answer (transport-retry.spec.ts). Eight workers overlap rule 2's and rule 6's waits (more
 * only add CPU contention); the two runs go one after the other, so they hold one self-test worker.
 */
import { expect, test as base } from '../fixtures';
import { tally } from './support';

export interface SoakOptions {
  /** --repeat-each of each soak run. */
  soakRepeats: number;
}

const test = base.extend<SoakOptions>({ soakRepeats: [2, { option: true }] });

const COOLDOWN_MS = '2000';
const WORKERS = 8;

/** Plain, then under network noise, which must really reset connections. */
const NETWORKS: Array<{ name: string; env: Record<string, string>; minResets: number }> = [
  { name: '', env: {}, minResets: 0 },
  { name: ' under network noise (latency 0-200 ms, connection resets)', env: { EMULATOR_NOISE: '1' }, minResets: 1 },
];

test.describe('staging readiness: never cry wolf', () => {
  test.describe.configure({ mode: 'default', timeout: 600_000 });

  for (const network of NETWORKS) {
    test(`the whole suite, repeated, against the reference emulator${network.name}: 0 failed, 0 flaky`, async ({
      soakRepeats,
      runningEmulator,
      runSuite,
    }, testInfo) => {
      testInfo.annotations.push({ type: 'repeats', description: String(soakRepeats) });
      const emulator = await runningEmulator({ env: { EMULATOR_OTP_COOLDOWN_MS: COOLDOWN_MS, ...network.env } });
      const run = await runSuite({
        env: { TRANSAK_BASE_URL: emulator.url, TRANSAK_OTP_COOLDOWN_MS: COOLDOWN_MS },
        args: [`--repeat-each=${soakRepeats}`, `--workers=${WORKERS}`, '--retries=0'],
        timeoutMs: testInfo.timeout - 30_000,
      });
      expect(run.failed.map((t) => `${t.title}: ${t.message}`)).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.output, 'nothing flaky (and no retry ran)').not.toMatch(/\bflaky\b|retry #/);
      expect(tally(run), 'every test ran and passed, none skipped').toEqual({ passed: run.tests.length });
      const distinct = new Set(run.tests.map((t) => `${t.project} › ${t.title}`)).size;
      expect(distinct, 'the suite ran').toBeGreaterThan(0);
      expect(run.tests, 'every repeat ran every test').toHaveLength(soakRepeats * distinct);
      const resets = emulator.output().match(/^emulator noise: reset /gm)?.length ?? 0;
      expect(resets, 'the noise really reset connections').toBeGreaterThanOrEqual(network.minResets);
      testInfo.annotations.push({
        type: 'measured',
        description: `${run.tests.length} tests in ${Math.round(run.durationMs / 1000)} s with ${WORKERS} workers; ${resets} connection resets absorbed`,
      });
    });
  }
});
