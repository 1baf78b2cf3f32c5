// BullMQ as a bench System (see ../system.ts): Queue for producing, QueueEvents +
// waitUntilFinished for round trips, worker processes from ./worker.mjs.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BenchWorker } from '../worker-ipc.ts';

const { Queue, QueueEvents } = createRequire(import.meta.url)('bullmq');
const workerScript = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const CHUNK = 1000;

export async function bullmqSystem(redisPort) {
  const connection = { host: '127.0.0.1', port: redisPort };
  const queues = new Map();
  const events = new Map();
  const queueOf = (name) => {
    if (!queues.has(name)) queues.set(name, new Queue(name, { connection }));
    return queues.get(name);
  };
  const eventsOf = async (name) => {
    if (!events.has(name)) {
      const queueEvents = new QueueEvents(name, { connection });
      await queueEvents.waitUntilReady();
      events.set(name, queueEvents);
    }
    return events.get(name);
  };
  return {
    name: 'bullmq',
    broker: 'redis',
    worker: ({ pool, concurrency, queue, ignoreResult }) => BenchWorker.fork(workerScript, {
      redisPort,
      queue,
      concurrency,
      ignoreResult,
      sandbox: pool === 'in-process' ? false : pool,
    }),
    async enqueue(queue, jobs) {
      for (let i = 0; i < jobs.length; i += CHUNK) {
        await queueOf(queue).addBulk(jobs.slice(i, i + CHUNK).map((data) => ({ name: data.workload, data })));
      }
    },
    async roundTrip(queue, job) {
      const queueEvents = await eventsOf(queue);
      const added = await queueOf(queue).add(job.workload, job);
      await added.waitUntilFinished(queueEvents);
    },
    async close() {
      await Promise.all([...events.values()].map((e) => e.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
