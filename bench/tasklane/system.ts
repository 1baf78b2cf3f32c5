// Tasklane as a bench System (see ../system.ts): the public producer API (applyAsync, AsyncResult.get)
// on an app bound to the broker under test, worker processes from ./worker.ts.
import { fileURLToPath } from 'node:url';
import { createApp } from 'tasklane';
import type { Job, System } from '../system.ts';
import { BenchWorker } from '../worker-ipc.ts';
import { defineTasks } from './app.ts';

const workerScript = fileURLToPath(new URL('./worker.ts', import.meta.url));
const CHUNK = 1000;

/** prefetch: the workers' (default: the runtime's own). */
export function tasklaneSystem(broker: string, brokerUrl: string, prefetch?: number): System {
  const app = createApp({ name: `bench-${broker}`, broker: brokerUrl });
  const tasks = defineTasks(app);
  const send = (queue: string, job: Job) => {
    switch (job.workload) {
      case 'noop': return tasks.noop.applyAsync([], { queue });
      case 'spin': return tasks.spin.applyAsync([job.arg], { queue });
      case 'wait': return tasks.wait.applyAsync([job.arg], { queue });
    }
  };
  return {
    name: 'tasklane',
    broker,
    worker: ({ pool, concurrency, queue, ignoreResult }) => BenchWorker.fork(workerScript, { brokerUrl, pool, concurrency, queue, prefetch, ignoreResult }),
    async enqueue(queue, jobs) {
      // Bounded fan-out: enough in flight to pipeline, not 20,000 pending promises at once.
      for (let i = 0; i < jobs.length; i += CHUNK) {
        await Promise.all(jobs.slice(i, i + CHUNK).map((job) => send(queue, job)));
      }
    },
    async roundTrip(queue, job) {
      const result = await send(queue, job);
      await result.get({ timeout: '30s' });
    },
    close: () => app.close(),
  };
}
