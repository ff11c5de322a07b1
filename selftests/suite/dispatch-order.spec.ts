/**
 * The dispatch order of playwright.config.ts: every spec file in exactly one wave, and the longest
 * waits (rules 8 and 2, then rule 6) opening each of the nightly's two shards so that they overlap.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type RunSuite } from '../fixtures';
import { ruleOfTags } from '../../helpers/rules';
import { ROOT } from '../../helpers/repo-paths';

async function listed(runSuite: RunSuite, args: string[]) {
  // The waves are a real target's order (any base URL; --list calls nothing).
  const run = await runSuite({ env: { TRANSAK_BASE_URL: 'http://127.0.0.1:9' }, args: ['--list', ...args] });
  return run.tests.map((t) => ({ rule: ruleOfTags(t.tags), title: t.title }));
}

test("the long waits open each half of the nightly's two shards, and every spec file is dispatched once", async ({ runSuite }) => {
  const [all, first, second] = await Promise.all([[], ['--shard=1/2'], ['--shard=2/2']].map((args) => listed(runSuite, args)));
  expect(first.length + second.length).toBe(all.length);
  expect(new Set(all.map((t) => t.title)).size, 'no test is listed twice (a file in two waves)').toBe(all.length);
  expect(first.slice(0, 2).map((t) => t.rule)).toEqual(['R8', 'R2']);
  // 18 tests split 9 and 9: rule 6's other-user test ends the first half, its second login of one address opens the second.
  expect(second[0]).toEqual({ rule: 'R6', title: expect.stringMatching(/^the same user's other session/) });
  expect(first.at(-1)?.rule).toBe('R6');
  // Each spec file judges one rule: every rule listed means no file fell outside the waves.
  const files = readdirSync(join(ROOT, 'tests')).filter((f) => f.endsWith('.spec.ts'));
  expect(new Set(all.map((t) => t.rule)).size, 'every spec file is in a wave').toBe(files.length);
});
