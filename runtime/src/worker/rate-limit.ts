// Per-task rate limits ("10/s", "100/m", "2/h"), per worker, as Celery does: starts of one task
// are spaced evenly at the limit's interval; tasks wait in the worker, not in the broker.

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** The interval between two starts, in ms. Throws a clear error on a malformed limit. */
export function parseRateLimit(limit: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|m|h)\s*$/.exec(limit);
  if (!match || Number(match[1]) <= 0) {
    throw new TypeError(`invalid rateLimit ${JSON.stringify(limit)}: use "<count>/<s|m|h>", e.g. "10/s" or "100/m"`);
  }
  return UNIT_MS[match[2]] / Number(match[1]);
}

export class RateLimiter {
  private readonly next = new Map<string, number>();

  /** Ms to wait before `task` may start; 0 means it may start now (and the slot is taken). */
  take(task: string, limit: string | undefined, now = Date.now()): number {
    if (!limit) return 0;
    const allowedAt = this.next.get(task) ?? 0;
    if (allowedAt > now) return allowedAt - now;
    this.next.set(task, now + parseRateLimit(limit));
    return 0;
  }
}
