import { describeRule, test } from '../helpers/fixtures';
import { reportLatency } from '../helpers/report-labels';
import { percentile } from '../helpers/verdicts';

describeRule('R8', () => {
  test('logout p95 latency over fresh tokens is within LOGOUT_SLO_MS', async ({ mintToken, suiteConfig, verdict }, testInfo) => {
    const samples = suiteConfig.latencySamples;
    // Tokens are minted first, all at once, so only the logouts themselves are timed.
    const tokens = await test.step(`mint ${samples} fresh tokens`, () => Promise.all(Array.from({ length: samples }, () => mintToken())));
    const figures: number[] = [];
    for (const [i, { token }] of tokens.entries()) {
      const ex = await verdict.logsOut(token, `logout ${i + 1} of ${samples}`);
      figures.push(Math.round(ex.ms * 10) / 10);
    }
    const p95 = percentile(figures, 95);
    const summary = { objectiveMs: suiteConfig.sloMs, samples, p50Ms: percentile(figures, 50), p95Ms: p95, maxMs: Math.max(...figures), figuresMs: figures };
    await testInfo.attach('logout latency', { body: JSON.stringify(summary, null, 2), contentType: 'application/json' });
    await reportLatency(summary, testInfo);
    testInfo.annotations.push({ type: 'logout p95', description: `${p95} ms over ${samples} logouts (objective ${suiteConfig.sloMs} ms)` });
    await test.step(`p95 ${p95} ms is within the objective of ${suiteConfig.sloMs} ms`, () => {
      verdict.expectNone(p95 <= suiteConfig.sloMs ? [] : [`logout_too_slow: expected p95 ≤ ${suiteConfig.sloMs} ms, got ${p95} ms over ${samples} logouts (${figures.join(', ')} ms)`], 'rule 8: logout latency objective');
    });
  });
});
