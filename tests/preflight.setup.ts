/**
 * Runs once before the suite: is the configuration valid, does the target answer, is the API key
 * accepted, can one token be obtained? If not, this one test fails with one line saying which and
 * how to fix it, and the rest of the suite does not run (no cascade of identical failures).
 */
import { test } from '../helpers/fixtures';
import { loadConfig } from '../helpers/config';

test('preflight: configuration valid, target reachable, API key accepted, a token can be obtained', { tag: '@preflight' }, async ({ mintToken }) => {
  // The fixtures already loaded the configuration; naming it here puts the verdict in the report.
  await test.step('configuration is valid', () => {
    loadConfig();
  });
  await test.step('the target answers, accepts the API key and issues a token', async () => {
    await mintToken();
  });
});
