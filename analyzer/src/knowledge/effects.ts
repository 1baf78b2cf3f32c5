// What a call spends the worker's time on. Every entry in the knowledge tables names one of these;
// the verdict (cpu | io | mixed, blocking) is derived from them in one place (verdict.ts).

export type Effect =
  /** Waits on something outside the process (network, disk, timer, another process) without blocking. */
  | 'io'
  /** I/O done synchronously: the event loop stops until it completes (readFileSync, execSync). */
  | 'sync-io'
  /** CPU work on the event loop: heavy enough to stall every other task sharing it. */
  | 'cpu-blocking'
  /** CPU work in native code on libuv's thread pool: costs CPU, but the event loop keeps running. */
  | 'cpu-offloaded'
  /** CPU work that is cheap per call (a hash of a string, a JSON parse): counts only when nothing heavier is seen. */
  | 'cpu-light'
  /** Known and irrelevant to the verdict (path.join, console.log). */
  | 'neutral';

/**
 * What one call costs, by size and by what it waits on: the verdict weighs these (verdict.ts), so
 * one mkdir next to four image resizes does not make a task mixed. Whether it blocks the event
 * loop is the effect's business, not the cost's.
 */
export type Cost =
  | 'cpu-heavy' | 'cpu-moderate' | 'cpu-trivial'
  | 'wait-network' | 'wait-disk' | 'wait-child' | 'wait-timer'
  /** A quick metadata operation (mkdir, stat, unlink): a wait too short to count against real work. */
  | 'wait-trivial'
  /** A call the analysis could not follow: its cost is unknown. */
  | 'not-followed';

/** The cost of a fact whose table entry names none. */
export const DEFAULT_COST: Record<Exclude<Effect, 'neutral'>, Cost> = {
  'io': 'wait-network',
  'sync-io': 'wait-disk',
  'cpu-blocking': 'cpu-heavy',
  'cpu-offloaded': 'cpu-heavy',
  'cpu-light': 'cpu-moderate',
};

/** An async function with the same job as a blocking one, for the quick fix. */
export interface Replacement {
  /** The function to call instead, awaited. */
  name: string;
  /** Where to import it from. */
  from: string;
}

export interface ApiFact {
  effect: Effect;
  /** Finishes the sentence "<call> …", e.g. "reads the whole file with the event loop stopped". */
  why: string;
  replacement?: Replacement;
  /** Size and resource, when the effect's default (DEFAULT_COST) does not fit. */
  cost?: Cost;
  /**
   * What the function returns belongs to the module too (a hash object, a stream): calls on it get
   * this fact. Without it, the result is plain data (readFileSync's string) and calls on it are not
   * the module's. Module defaults always chain: a client's methods return more of the client.
   */
  chain?: boolean;
}

/** Facts about one module: per exported member, and a default for anything else reached through it. */
export interface ModuleFacts {
  /** Describes the module in a sentence: "PostgreSQL client". */
  about: string;
  members?: Record<string, ApiFact>;
  /** What any other call into the module does (a client's methods, a library's functions). */
  default?: ApiFact;
  /** A native addon that is not safe to load in worker threads: tasks using it want prefork's processes. */
  isolate?: boolean;
}
