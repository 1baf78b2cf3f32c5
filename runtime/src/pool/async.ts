// async (Celery's gevent/eventlet): up to N tasks awaiting at once on the worker's event loop, for
// I/O-bound work. The default, 100, has nothing to do with the core count.
import { sliceCpuMeter } from './async-cpu.ts';
import { InProcessPool } from './in-process.ts';
import { defaultConcurrency } from './defaults.ts';
import type { PoolOptions } from './pool.ts';

export function createAsyncPool(options: PoolOptions): InProcessPool {
  return new InProcessPool('async', options.concurrency ?? defaultConcurrency('async'), options, sliceCpuMeter);
}
