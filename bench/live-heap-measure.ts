// How bench/live-heap.ts and bench/bullmq/live-heap.mjs measure, in one place: n tasks, each
// awaiting WAIT_MS, started at once; the heap after a full GC with all of them waiting, less the
// heap before they started, over n.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { round } from './stats.ts';

/** How long each task waits: long enough that none ends while they are counted. */
export const WAIT_MS = 5000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** KB of heap each task keeps alive while it waits; `start` sets the n waiting tasks going. */
export async function liveHeapPerInFlightKb(n: number, start: () => unknown): Promise<number> {
  gc();
  const before = process.memoryUsage().heapUsed;
  await start();
  await new Promise((resolve) => setTimeout(resolve, WAIT_MS / 2)); // every task started, none ended
  gc();
  return round((process.memoryUsage().heapUsed - before) / n / 1024, 2);
}
