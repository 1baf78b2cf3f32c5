import { availableParallelism } from 'node:os';
import type { PoolKind } from '../protocol.ts';

/** Cores for the parallel pools; 100 for async, where the number of waits worth overlapping has nothing to do with cores. */
export function defaultConcurrency(kind: PoolKind): number {
  return kind === 'async' ? 100 : kind === 'solo' ? 1 : availableParallelism();
}
