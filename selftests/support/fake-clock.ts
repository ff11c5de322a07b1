import type { Clock } from '../../helpers/clock';

/** A clock that only moves when someone sleeps on it, so schedules are exact. */
export function fakeClock(start = 1_000_000): Clock & { slept: number[] } {
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
