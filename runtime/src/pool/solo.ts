// solo: inline in the worker process, one task at a time (debugging, one task per container).
import { sliceCpuMeter } from './async-cpu.ts';
import { InProcessPool } from './in-process.ts';
import type { PoolOptions } from './pool.ts';

export function createSoloPool(options: PoolOptions): InProcessPool {
  if (options.concurrency !== undefined && options.concurrency !== 1) {
    options.log?.warn(`the solo pool runs one task at a time: concurrency ${options.concurrency} ignored (use threads or prefork for CPU work in parallel, async for many I/O waits)`);
  }
  // CPU time from the task's own slices of the loop, as in the async pool: no getrusage syscall
  // per task, and time the process spends on the worker's own work is not charged to the task.
  return new InProcessPool('solo', 1, options, sliceCpuMeter);
}
