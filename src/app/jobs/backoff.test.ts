import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, retryDelayMs } from './backoff.js';

describe('retry back-off', () => {
  it('doubles from the base and stops at the cap (no jitter at random 0.5)', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempt) => retryDelayMs(attempt, DEFAULT_BACKOFF, () => 0.5));
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]);
  });

  it('spreads each delay by the jitter, never below zero, bounded on both sides', () => {
    expect(retryDelayMs(1, DEFAULT_BACKOFF, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, DEFAULT_BACKOFF, () => 0.999999)).toBeLessThanOrEqual(36_000);
    expect(retryDelayMs(3, DEFAULT_BACKOFF, () => 0.75)).toBe(132_000);
    expect(retryDelayMs(1000, DEFAULT_BACKOFF, () => 0)).toBe(2_880_000);
    expect(retryDelayMs(1, { baseMs: 1000, maxMs: 1000, jitter: 1 }, () => 0)).toBe(0);
  });
});
