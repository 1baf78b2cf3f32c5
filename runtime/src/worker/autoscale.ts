// Autoscale (Celery's `--autoscale max,min`): the worker's pool grows toward max while tasks wait
// for a slot, and shrinks toward min once it has had more slots than tasks for a while. Grow fast
// (a backlog seen at two looks in a row), shrink slowly (a whole keepalive of under-use): a burst
// that clears by itself forks nothing, and a pool is not torn down between two bursts.
import { toMs, type Duration } from '../duration.ts';
import type { PoolKind } from '../protocol.ts';

/** How often the worker compares its demand (running + reserved tasks) with the pool's size. */
export const AUTOSCALE_INTERVAL_MS = 1000;
/** Looks in a row that must find tasks waiting for a slot before the pool grows. */
export const AUTOSCALE_GROW_AFTER = 2;
/** How long the pool must have had more slots than tasks before it shrinks (Celery's AUTOSCALE_KEEPALIVE). */
export const AUTOSCALE_KEEPALIVE_MS = 30_000;

/** As users give it: startWorker's `autoscale`, the config's `workers.<name>.autoscale`. */
export interface AutoscaleOptions {
  max: number;
  /** Default 1: the pool never has fewer than one slot. */
  min?: number;
  /** Under-use before a shrink (default 30s). */
  keepalive?: Duration;
}

export interface AutoscaleRange {
  min: number;
  max: number;
  keepaliveMs: number;
}

function whole(field: string, value: unknown): void {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1)) {
    throw new Error(`autoscale.${field} must be a whole number >= 1, got ${JSON.stringify(value)}`);
  }
}

/** Checks autoscale options for a pool; throws one error that says what to pass instead. */
export function autoscaleRange(pool: PoolKind, options: AutoscaleOptions): AutoscaleRange {
  if (pool === 'solo') throw new Error('the solo pool runs one task at a time: it cannot autoscale (use prefork or threads for CPU work, async for I/O waits)');
  const { max, min = 1 } = options;
  whole('max', max);
  whole('min', min);
  if (min > max) throw new Error(`autoscale: min ${min} is more than max ${max} (Celery's order is max first: --autoscale ${min},${max})`);
  let keepaliveMs = AUTOSCALE_KEEPALIVE_MS;
  if (options.keepalive !== undefined) {
    try {
      keepaliveMs = toMs(options.keepalive);
    } catch (error) {
      throw new Error(`autoscale.keepalive: ${(error as Error).message}`);
    }
  }
  return { min, max, keepaliveMs };
}

/** `--autoscale max,min` (or `max` alone, min 1), as Celery's flag takes it. */
export function parseAutoscaleFlag(value: string): { max: number; min?: number } {
  const match = /^\s*(\d+)\s*(?:,\s*(\d+)\s*)?$/.exec(value);
  if (!match) throw new Error(`--autoscale takes max,min (whole numbers, max first as in Celery: --autoscale 8,2), got "${value}"`);
  return { max: Number(match[1]), ...(match[2] !== undefined && { min: Number(match[2]) }) };
}

/** Reads the worker's state and resizes its pool. */
export interface Scalable {
  /** The pool's size now. */
  readonly concurrency: number;
  /** Tasks running and reserved (waiting for a slot) now. */
  demand(): number;
  resize(size: number): Promise<void>;
}

export class Autoscaler {
  private pressured = 0;
  private underusedSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private resizing: Promise<void> | undefined;

  constructor(readonly range: AutoscaleRange, private readonly target?: Scalable, private readonly onError?: (error: Error) => void) {}

  /**
   * The size to resize to now, or undefined to keep it. Given `now` rather than reading the clock,
   * so each rule can be checked on its own.
   */
  decide(size: number, demand: number, now: number): number | undefined {
    const { min, max, keepaliveMs } = this.range;
    if (demand > size && size < max) {
      this.underusedSince = undefined;
      if (++this.pressured < AUTOSCALE_GROW_AFTER) return undefined;
      this.pressured = 0;
      return Math.min(max, demand);
    }
    this.pressured = 0;
    const floor = Math.max(min, Math.min(demand, max));
    if (floor >= size) {
      this.underusedSince = undefined;
      return undefined;
    }
    this.underusedSince ??= now;
    if (now - this.underusedSince < keepaliveMs) return undefined;
    this.underusedSince = undefined;
    return floor;
  }

  start(): void {
    this.timer = setInterval(() => this.look(), AUTOSCALE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops looking; resolves once a resize under way has ended. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.resizing;
  }

  private look(): void {
    // One resize at a time: a threads pool's takes a while (its new threads start warm).
    if (!this.target || this.resizing) return;
    const size = this.target.concurrency;
    const next = this.decide(size, this.target.demand(), Date.now());
    if (next === undefined || next === size) return;
    this.resizing = this.target.resize(next)
      .catch((error: Error) => this.onError?.(error))
      .finally(() => { this.resizing = undefined; });
  }
}
