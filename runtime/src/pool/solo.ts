// solo: inline in the worker process, one task at a time (debugging, one task per container).
import { processCpuMeter } from '../execute.ts';
import { InProcessPool } from './in-process.ts';
import type { PoolOptions } from './pool.ts';

export function createSoloPool(options: PoolOptions): InProcessPool {
  if (options.concurrency !== undefined && options.concurrency !== 1) {
    options.log?.warn(`the solo pool runs one task at a time: concurrency ${options.concurrency} ignored (use threads or prefork for CPU work in parallel, async for many I/O waits)`);
  }
  return new InProcessPool('solo', 1, options, processCpuMeter);
}
