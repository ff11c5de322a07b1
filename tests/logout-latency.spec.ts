import { describeRule, logOutLiveToken, reportLatency, test } from '../helpers/fixtures';

describeRule('R8', () => {
  test('logout p95 latency over fresh tokens is within LOGOUT_SLO_MS', async ({ tokens, suiteConfig, verdict }, testInfo) => {
    const samples = suiteConfig.latencySamples;

    // One token at a time, each logged out before the next login: a gateway that keeps one session
    // per user ends a token when its address logs in again. Only the logouts are timed.
    const figures: number[] = [];
    for (let i = 1; i <= samples; i++) {
      const { ex } = await logOutLiveToken(tokens, verdict, { title: `logout ${i} of ${samples}` });
      figures.push(Math.round(ex.ms * 10) / 10);
    }
    await reportLatency(figures, suiteConfig.sloMs, testInfo);
    await verdict.latencyWithin(figures, suiteConfig.sloMs);
  });
});
