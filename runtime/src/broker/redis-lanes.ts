// Priorities on Redis, as Celery does there: a few levels, each its own stream per queue (a "lane"),
// read from the highest level down. Level 0 (no priority, the common case) is the queue's own
// stream, so messages without a priority travel exactly as before; the other lanes are read only
// once a message with a priority has set the queue's marker (prefix:prio:<queue>, kept), so a
// queue that never had one costs what it did before lanes existed. A worker idle on such a queue
// sees its first priority message at its next fetch script (within its fetch wait, 1 s by
// default). So that a steady stream of urgent messages cannot starve the rest, every
// STARVATION_EVERY-th fetch reads the levels from the lowest up.

/** Levels per queue: priority <= 0 (or none) → 0, 1–3 → 1, 4–6 → 2, 7 and more → 3 (Celery's steps 0, 3, 6, 9). */
export const LEVELS = 4;
/** One fetch in this many reads the lowest level first. */
export const STARVATION_EVERY = 4;

export interface Lane {
  /** The queue as the user names it (what deliveries report). */
  queue: string;
  /** The name its keys are made from: the queue itself at level 0. */
  lane: string;
  level: number;
}

export function levelOf(priority: number | undefined): number {
  if (priority === undefined || !(priority > 0)) return 0;
  return Math.min(LEVELS - 1, Math.ceil(priority / 3));
}

/** A separator no queue name is expected to hold (Celery uses \x06\x16 the same way). */
export function laneName(queue: string, level: number): string {
  return level === 0 ? queue : `${queue}\x06${level}`;
}

/** Each queue's lanes, queues in order of preference, levels from the highest down (or, `lowFirst`, from the lowest up). */
export function lanesOf(queues: string[], lowFirst = false): Lane[] {
  const out: Lane[] = [];
  for (const queue of queues) {
    for (let i = 0; i < LEVELS; i++) {
      const level = lowFirst ? i : LEVELS - 1 - i;
      out.push({ queue, lane: laneName(queue, level), level });
    }
  }
  return out;
}
