// W2's control run: the same CPU tasks on `cores` bare worker threads fed from an in-memory list,
// right after the case. On a machine shared with other work, no pool can beat this; measured /
// control isolates what the queue and the pool cost from what the machine allows at that moment.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

const script = new URL('./control-thread.mjs', import.meta.url);

/** Wall ms to run n tasks of `iterations` over `threads` bare threads (start-up excluded). */
export async function bareThreadsMs(n: number, iterations: number, threads: number): Promise<number> {
  const workers = Array.from({ length: threads }, () => new Worker(script));
  try {
    await Promise.all(workers.map((worker) => once(worker, 'message')));
    let next = 0;
    const started = performance.now();
    await Promise.all(workers.map(async (worker) => {
      while (next < n) {
        next++;
        worker.postMessage(iterations);
        await once(worker, 'message');
      }
    }));
    return performance.now() - started;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
