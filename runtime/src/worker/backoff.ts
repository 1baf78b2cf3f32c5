// Retry delays: exponential (base × 2^attempt, capped) with "equal jitter": half the delay is kept,
// the other half is random, so retries of tasks that failed together spread out instead of
// hammering the same resource in lockstep, and no retry comes back sooner than half the backoff.
import { toMs, type Duration } from '../duration.ts';

export const DEFAULT_RETRY_BACKOFF = '1s';
export const DEFAULT_RETRY_BACKOFF_MAX = '10m';

/** Delay before retry number `retries + 1`. `random` is injectable for tests. */
export function retryDelayMs(
  retries: number,
  options: { retryBackoff?: Duration; retryBackoffMax?: Duration } = {},
  random: () => number = Math.random,
): number {
  const base = toMs(options.retryBackoff ?? DEFAULT_RETRY_BACKOFF);
  const cap = toMs(options.retryBackoffMax ?? DEFAULT_RETRY_BACKOFF_MAX);
  const full = Math.min(cap, base * 2 ** retries);
  return Math.round(full / 2 + random() * (full / 2));
}
