// `node --import tsx --conditions=tasklane-source bench/live-heap.ts [broker=memory://live|file|redis://…] [tasks=10000]`: the worker's live
// heap per in-flight async task: a worker and its async pool on a broker in this process, n waiting
// tasks at concurrency n, measured by live-heap-measure.ts. Unlike W3-10k's rss (a peak that moves
// with when V8 collects), this is what each waiting task keeps alive: the figure to watch when
// changing the per-task path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBroker } from '../runtime/src/broker/index.ts';
import { Logger } from '../runtime/src/logger.ts';
import { buildMessage } from '../runtime/src/message.ts';
import { createWorker } from '../runtime/src/worker/worker.ts';
import { liveHeapPerInFlightKb, WAIT_MS } from './live-heap-measure.ts';
import './tasklane/app.ts';

const [brokerArg = 'memory://live', tasksArg = '10000'] = process.argv.slice(2);
const n = Number(tasksArg);
const dir = brokerArg === 'file' ? mkdtempSync(join(tmpdir(), 'tasklane-live-heap-')) : undefined;
const url = dir ? `file://${dir}` : brokerArg;
const broker = createBroker(url);
await broker.connect();
const queue = `live-heap-${process.pid}`;
for (let i = 0; i < n; i++) await broker.publish(buildMessage('bench.wait', [WAIT_MS], queue, {}));
const worker = createWorker({
  broker, pool: 'async', concurrency: n, queues: [queue],
  app: fileURLToPath(new URL('./tasklane/app.ts', import.meta.url)),
  logger: new Logger('live-heap', 'error'),
});
const kb = await liveHeapPerInFlightKb(n, () => worker.start());
process.stdout.write(`${JSON.stringify({ bench: 'live-heap', broker: dir ? 'file' : url, inFlight: n, liveHeapPerInFlightKb: kb })}\n`);
await worker.stop({ graceful: false });
await broker.close();
if (dir) rmSync(dir, { recursive: true, force: true });
process.exit(0);
