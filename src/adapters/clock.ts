import type { Clock } from '../app/ports.js';

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests and the demo. */
export function fixedClock(start: Date | string): Clock & { set(date: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (date) => {
      current = new Date(date);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}
