// `node --import tsx bench/bullmq/live-heap.mjs <redis port> [tasks=10000]`: BullMQ's live heap per
// in-flight job, measured as Tasklane's is (live-heap-measure.ts): n jobs at concurrency n.
import { createRequire } from 'node:module';
import processor from './processor.mjs';
import { liveHeapPerInFlightKb, WAIT_MS } from '../live-heap-measure.ts';

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
// run() resolves only when the worker closes: it is started, not awaited.
const kb = await liveHeapPerInFlightKb(n, () => { void worker.run(); });
process.stdout.write(`${JSON.stringify({ bench: 'live-heap', system: 'bullmq', broker: 'redis', inFlight: n, active: await queue.getActiveCount(), liveHeapPerInFlightKb: kb })}\n`);
await worker.close(true);
await queue.obliterate({ force: true });
await queue.close();
process.exit(0);
