// `node --import tsx bench/bullmq/live-heap.mjs <redis port> [tasks=10000]`: BullMQ's live heap per
// in-flight job, measured as bench/live-heap.ts measures Tasklane's (n jobs awaiting 5 s at
// concurrency n; the heap after a full GC less the heap before the worker ran, over n).
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import processor from './processor.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const WAIT_MS = 5000;
const [port, tasksArg = '10000'] = process.argv.slice(2);
const n = Number(tasksArg);
const { Queue, Worker } = createRequire(import.meta.url)('bullmq');
const connection = { host: '127.0.0.1', port: Number(port) };
const name = `live-heap-${process.pid}`;
const queue = new Queue(name, { connection });
for (let i = 0; i < n; i += 1000) {
  await queue.addBulk(Array.from({ length: Math.min(1000, n - i) }, () => ({ name: 'wait', data: { workload: 'wait', arg: WAIT_MS } })));
}
const worker = new Worker(name, processor, { connection, concurrency: n, autorun: false, removeOnComplete: { count: 1000 } });
await worker.waitUntilReady();
gc();
const before = process.memoryUsage().heapUsed;
void worker.run();
await new Promise((resolve) => setTimeout(resolve, WAIT_MS / 2));
gc();
const live = process.memoryUsage().heapUsed - before;
process.stdout.write(`${JSON.stringify({ bench: 'live-heap', system: 'bullmq', broker: 'redis', inFlight: n, active: await queue.getActiveCount(), liveHeapPerInFlightKb: Math.round((live / n / 1024) * 100) / 100 })}\n`);
await worker.close(true);
await queue.obliterate({ force: true });
await queue.close();
process.exit(0);
