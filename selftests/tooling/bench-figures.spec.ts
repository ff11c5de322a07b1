// `npm run bench`: the login counter at the server, and each figure judged against its goal as scripts/bench-figures.ts states it.
import { expect, test } from '../fixtures';
import { EMBEDDED_OTP_COOLDOWN_MS } from '../../helpers/embedded-emulator';
import { projectTimes, renderBenchmarks, stagingWallMs, type BenchFigures } from '../../scripts/bench-figures';
import type { JSONReport } from '../../scripts/json-report';
import { loginCounter } from '../../scripts/bench-login-count';

test('the login counter counts accepted OTP sends, logins, and each token destroyed once, at the server', async ({ newClient }) => {
  const client = newClient({ otpCooldownMs: EMBEDDED_OTP_COOLDOWN_MS });
  const count = loginCounter(client.app);
  const login = async (email: string): Promise<string> => {
    const { stateToken } = (await client.login(email)).json().data;
    expect((await client.verify(email, stateToken, '000000')).statusCode, 'a wrong OTP is no login').not.toBe(200);
    return (await client.verify(email, stateToken)).json().data.accessToken;
  };
  const first = await login('bench-1@example.com');
  const second = await login('bench-2@example.com');
  expect((await client.login('bench-1@example.com')).statusCode, 'too soon: no OTP spent').toBe(400);
  expect((await client.logout(first)).statusCode).toBe(200);
  expect((await client.logout(first)).statusCode, 'a destroyed token is refused').not.toBe(200);
  expect((await client.logout(`Bearer ${second}`)).statusCode, 'refused: no token destroyed').not.toBe(200);
  expect((await client.logout(second)).statusCode).toBe(200);
  expect(count()).toEqual({ otpSends: 2, logins: 2, tokensDestroyed: 2 });
});

test('the time per self-test project comes from the runner JSON report: span, worker time, slowest test', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 28, 10, 0, s)).toISOString();
  const report = {
    stats: { startTime: at(0), duration: 30_000, expected: 3, unexpected: 0, flaky: 0, skipped: 0 },
    suites: [
      {
        specs: [{ title: 'a', tests: [{ projectName: 'unit', results: [{ startTime: at(0), duration: 2000 }] }] }],
        suites: [
          {
            specs: [
              { title: 'b', tests: [{ projectName: 'unit', results: [{ startTime: at(1), duration: 4000 }] }] },
              { title: 'mode x', tests: [{ projectName: 'kill-matrix', results: [{ startTime: at(3), duration: 20_000 }] }] },
            ],
          },
        ],
      },
    ],
  } as unknown as JSONReport;
  expect(projectTimes(report)).toEqual([
    { project: 'unit', tests: 2, spanMs: 5000, busyMs: 6000, slowest: { title: 'b', ms: 4000 } },
    { project: 'kill-matrix', tests: 1, spanMs: 20_000, busyMs: 20_000, slowest: { title: 'mode x', ms: 20_000 } },
  ]);
});

test('each figure is judged against its goal, and a figure just past its goal is not met', () => {
  expect(stagingWallMs(24, 4)).toBe(6 * 60_000);
  expect(stagingWallMs(25, 8)).toBe(4 * 60_000);
  const figures = (over: { logins: number; suiteMs: number; npmTestMs: number }): BenchFigures => ({
    date: new Date('2026-11-28T10:00:00Z'),
    commit: 'commit abc1234',
    machine: 'test machine',
    load: [1, 1],
    runs: 3,
    logins: [{ otpSends: over.logins, logins: over.logins, tokensDestroyed: 9 }],
    suiteMs: [over.suiteMs, over.suiteMs, over.suiteMs],
    floorMs: [5000, 5000, 5000],
    wait: { ms: 5000, test: 'rule 2' },
    tests: 21,
    npmTest: { ms: over.npmTestMs, exitCode: 0, passed: 250, failed: 0, skipped: 0, playwrightMs: over.npmTestMs - 20_000, projects: [] },
  });
  const atGoal = renderBenchmarks(figures({ logins: 10, suiteMs: 11_000, npmTestMs: 300_000 }));
  expect(atGoal).toContain('on 2026-11-28T10:00:00Z at commit abc1234, on test machine;');
  expect(atGoal).toMatch(/\| logins \(Verify User OTP → 200\), each of 1 run\(s\) \| 10 \| ≤ tokens destroyed \+ 1 = 10 \| met \|/);
  expect(atGoal).toMatch(/\| suite wall time, median of 3 \| 11\.0 s .*\| ≤ floor \+ longest deliberate wait \+ 1 s = 11\.0 s \| met /);
  expect(atGoal).toMatch(/\| `npm test`, whole command .*\| 5 min 00 s \| ≤ 5 min \| met \|/);
  const past = renderBenchmarks(figures({ logins: 11, suiteMs: 11_100, npmTestMs: 301_000 }));
  expect(past.match(/\*\*not met\*\*/g)).toHaveLength(3);
  expect(past).toContain('4 addresses 3 min 00 s; 8 addresses 2 min 00 s; 12 addresses 1 min 00 s');
});
