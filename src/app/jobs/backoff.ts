/**
 * Retry delays: exponential from `baseMs` (attempt 1 failed → base, 2 → 2×base, …), capped at
 * `maxMs`, spread by ±`jitter` so jobs that failed together (a mail server down for an hour)
 * do not all come back in the same second. `random` is injected: [0, 1).
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 0.2 → each delay lies within ±20 % of the exponential value. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 3_600_000, jitter: 0.2 };

/** @example retryDelayMs(3, DEFAULT_BACKOFF, () => 0.5) // 120_000 */
export function retryDelayMs(failedAttempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.max(0, failedAttempt - 1);
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 40));
  const spread = 1 + policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(exponential * spread));
}
