// One Tasklane worker process of the bench, driven over IPC (../worker-ipc.ts). It is the public
// startWorker() of 'tasklane'; the bench only wraps its broker: fetched deliveries are held while the
// bench says so (before `start`, during `pause`), so "enqueued first, then drained" excludes pool
// start-up and warm-up, and finished tasks are counted in-process.
import { fileURLToPath } from 'node:url';
import { startWorker, type PoolKind, type TaskResult } from 'tasklane';
import { createBroker, type Broker } from 'tasklane/broker';
import { serveBench } from '../worker-ipc.ts';
import './app.ts';

const { brokerUrl, pool, concurrency, queue, prefetch, ignoreResult } = JSON.parse(process.argv[2]) as {
  brokerUrl: string; pool: PoolKind; concurrency: number; queue: string; prefetch?: number; ignoreResult?: boolean;
};

/** Resolved while the worker may take tasks. */
let gate!: Promise<void>;
let openGate!: () => void;
const closeGate = () => { gate = new Promise((resolve) => { openGate = resolve; }); };
closeGate();
let completed: (error?: string) => void = () => {};
const stored = new Map<string, TaskResult>();
const finished = (result: TaskResult) => completed(result.state === 'SUCCESS' ? undefined : result.error?.message ?? result.state);

const broker = createBroker(brokerUrl);
const overrides: Partial<Broker> = {
  async fetch(...args) {
    await gate;
    const deliveries = await broker.fetch(...args);
    await gate; // a fetch in flight when the bench paused
    return deliveries;
  },
  // A task is finished once its result is stored and its message acked. Not counted from events:
  // a worker sends task events only while someone subscribes to them.
  ...(broker.storeResultAndAck && {
    storeResultAndAck(result, ttlMs, delivery) {
      return broker.storeResultAndAck!(result, ttlMs, delivery).then(() => finished(result));
    },
  }),
  storeResult(result, ttlMs) {
    stored.set(result.id, result);
    return broker.storeResult(result, ttlMs);
  },
  ack(deliveries) {
    return broker.ack(deliveries).then(() => {
      for (const { message } of deliveries) {
        const result = message && stored.get(message.id);
        // With ignoreResult a success is acked and nothing else (failures are still stored).
        if (!result) {
          if (ignoreResult) completed();
          continue;
        }
        stored.delete(message.id);
        finished(result);
      }
    });
  },
};
const instrumented = new Proxy(broker, {
  get(target, key) {
    const own = overrides[key as keyof Broker];
    if (own) return own;
    const value = Reflect.get(target, key);
    return typeof value === 'function' ? value.bind(target) : value;
  },
});

const worker = await startWorker({
  broker: instrumented,
  pool,
  concurrency,
  queues: [queue],
  prefetch,
  ignoreResult,
  app: fileURLToPath(new URL('./app.ts', import.meta.url)),
  name: `bench-${pool}`,
  // Per-task INFO lines would measure the terminal: production workers log warnings and up.
  logLevel: 'warn',
  log: (line) => process.stderr.write(`${line}\n`),
});
serveBench({
  start: () => openGate(),
  async pause() {
    closeGate();
  },
  onCompleted: (count) => { completed = count; },
  async close() {
    openGate(); // a paused fetch loop must see the stop
    await worker.stop({ graceful: true });
    await broker.close(); // a broker given to startWorker stays the caller's
  },
});
