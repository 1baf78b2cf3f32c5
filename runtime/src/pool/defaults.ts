import { availableParallelism } from 'node:os';
import type { PoolKind } from '../protocol.ts';

/**
 * Cores for the parallel pools (`cores`: this machine's unless another is described); 100 for
 * async, where the number of waits worth overlapping has nothing to do with cores; 1 for solo.
 */
export function defaultConcurrency(kind: PoolKind, cores: number = availableParallelism()): number {
  return kind === 'async' ? 100 : kind === 'solo' ? 1 : cores;
}

/** The most an async worker reserves beyond its free slots, however high its concurrency. */
const ASYNC_PREFETCH_CAP = 1000;

/**
 * Messages a worker reserves beyond its free slots. One where a slot is an executor (prefork,
 * threads, solo): a task reserved behind a busy one waits while another worker may be idle. The
 * async pool's slots are waits that end in bursts (timers and replies landing together): one wave
 * of replacements (its concurrency) lets each finished wait hand its slot on at once, instead of
 * every slot of the burst waiting for a fetch that can only be read after the whole burst. Past
 * ASYNC_PREFETCH_CAP a larger wave only holds more messages in memory: a fetch brings a whole
 * burst's worth at once anyway (bench/RESULTS.md, W3 at 10,000).
 */
export function defaultPrefetch(kind: PoolKind, concurrency: number): number {
  return kind === 'async' ? Math.min(concurrency, ASYNC_PREFETCH_CAP) : 1;
}
