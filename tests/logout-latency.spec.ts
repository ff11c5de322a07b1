import { describeRule, reportLatency, test, percentile } from '../helpers/fixtures';

describeRule('R8', () => {
  test('logout p95 latency over fresh tokens is within LOGOUT_SLO_MS', async ({ mintTokens, suiteConfig, verdict }, testInfo) => {
    const samples = suiteConfig.latencySamples;

    // Tokens are obtained first, all at once, so only the logouts themselves are timed.
    const tokens = await test.step(`obtain ${samples} live tokens`, () => mintTokens(samples));

    const figures: number[] = [];
    for (const [i, { token }] of tokens.entries()) {
      const ex = await verdict.logsOut(token, `logout ${i + 1} of ${samples}`);
      figures.push(Math.round(ex.ms * 10) / 10);
    }
    const p95 = percentile(figures, 95);
    const summary = {
      objectiveMs: suiteConfig.sloMs,
      samples,
      p50Ms: percentile(figures, 50),
      p95Ms: p95,
      maxMs: Math.max(...figures),
      figuresMs: figures,
    };
    await testInfo.attach('logout latency', { body: JSON.stringify(summary, null, 2), contentType: 'application/json' });
    await reportLatency(summary, testInfo);
    testInfo.annotations.push({ type: 'logout p95', description: `${p95} ms over ${samples} logouts (objective ${suiteConfig.sloMs} ms)` });
    await verdict.latencyWithin(figures, suiteConfig.sloMs);
  });
});
