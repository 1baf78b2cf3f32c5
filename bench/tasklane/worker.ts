// One Tasklane worker process of the bench, driven over IPC (../worker-ipc.ts). It is the
// runtime's own Worker; the bench only wraps its broker to hold fetching until `start` (so
// "enqueued first, then drained" excludes pool start-up) and to count finished tasks in-process.
import { fileURLToPath } from 'node:url';
import { createBroker, type Broker } from '../../runtime/src/broker/index.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { PoolKind, TaskEvent } from '../../runtime/src/protocol.ts';
import { createWorker } from '../../runtime/src/worker/worker.ts';
import { serveBench } from '../worker-ipc.ts';
import './app.ts';

const { brokerUrl, pool, concurrency, queue } = JSON.parse(process.argv[2]) as {
  brokerUrl: string; pool: PoolKind; concurrency: number; queue: string;
};

let open: () => void = () => {};
const started = new Promise<void>((resolve) => { open = resolve; });
let completed: (error?: string) => void = () => {};
const FINISHED = new Set<TaskEvent['type']>(['task-succeeded', 'task-failed', 'task-dead-lettered']);

const broker = createBroker(brokerUrl);
const overrides: Partial<Broker> = {
  async fetch(...args) {
    await started;
    return broker.fetch(...args);
  },
  // The worker emits task-succeeded once the result is stored and the message acked.
  emit(event) {
    if (FINISHED.has(event.type)) completed(event.type === 'task-succeeded' ? undefined : event.error?.message ?? event.reason ?? event.type);
    return broker.emit(event);
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

const worker = createWorker({
  broker: instrumented,
  ownsBroker: true,
  pool,
  concurrency,
  queues: [queue],
  app: fileURLToPath(new URL('./app.ts', import.meta.url)),
  // Per-task INFO lines would measure the terminal: production workers log warnings and up.
  logger: new Logger(`worker bench-${pool}`, 'warn', (line) => process.stderr.write(`${line}\n`)),
});
await worker.start();
serveBench({
  start: open,
  onCompleted: (count) => { completed = count; },
  close: () => worker.stop({ graceful: true }),
});
