/** A duration as users write it: milliseconds, or a string such as "200ms", "30s", "5m", "1h". */
export type Duration = number | string;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function toMs(duration: Duration): number {
  if (typeof duration === 'number' && Number.isFinite(duration) && duration >= 0) return duration;
  const match = typeof duration === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(duration) : null;
  if (!match) throw new TypeError(`invalid duration ${JSON.stringify(duration)}: use milliseconds or a string like "500ms", "30s", "5m"`);
  return Number(match[1]) * UNITS[match[2] ?? 'ms'];
}
