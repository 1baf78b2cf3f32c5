// One BullMQ worker process of the baseline, driven by the bench over IPC (see ../worker-ipc.ts):
// it connects without consuming, starts on demand, and counts completions in-process.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import processor from './processor.mjs';
import { serveBench } from '../worker-ipc.ts';

// The CommonJS build loads ioredis itself from connection options (the ESM build cannot).
const { Worker } = createRequire(import.meta.url)('bullmq');
const { redisPort, queue, concurrency, sandbox, ignoreResult } = JSON.parse(process.argv[2]);

const processorFile = fileURLToPath(new URL('./processor.mjs', import.meta.url));
const worker = new Worker(queue, sandbox ? processorFile : processor, {
  connection: { host: '127.0.0.1', port: redisPort },
  concurrency,
  autorun: false,
  useWorkerThreads: sandbox === 'threads',
  // The bench reads results through QueueEvents; keep Redis from growing across cases.
  removeOnComplete: { count: ignoreResult ? 0 : 1000 },
  removeOnFail: { count: 1000 },
});
worker.on('error', (err) => process.stderr.write(`bullmq worker: ${err.stack ?? err}\n`));

await worker.waitUntilReady();
let running = false;
serveBench({
  start: () => {
    if (running) worker.resume();
    else void worker.run();
    running = true;
  },
  pause: () => worker.pause(),
  onCompleted: (count) => {
    worker.on('completed', () => count());
    worker.on('failed', (job, err) => count(String(err?.message ?? err)));
  },
  close: () => worker.close(),
});
