// A clock tests move by hand, so lockouts and expiries are checked without waiting.
import type { Clock } from '@crm/engine';

export interface TestClock {
  now: Clock;
  /** Moves the time forward by `ms`. */
  advance(ms: number): void;
}

export function testClock(start = Date.now()): TestClock {
  let time = start;
  return {
    now: () => new Date(time),
    advance(ms) {
      time += ms;
    },
  };
}
