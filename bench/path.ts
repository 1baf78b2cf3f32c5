// `node --import tsx bench/path.ts [pool=async] [tasks=30000] [broker=memory://path]`: the worker's
// own per-task cost with no network: a worker and its pool on a broker in this process, n no-op
// tasks enqueued first, then drained. Prints CPU µs per task (the whole process: worker, pool,
// broker), the figure to watch when changing the per-task path. `--cpu-prof` works as usual.
import { fileURLToPath } from 'node:url';
import { createBroker } from '../runtime/src/broker/index.ts';
import { Logger } from '../runtime/src/logger.ts';
import type { PoolKind } from '../runtime/src/protocol.ts';
import { createWorker } from '../runtime/src/worker/worker.ts';
import { buildMessage } from '../runtime/src/message.ts';
import { round } from './stats.ts';
import './tasklane/app.ts';

const [pool = 'async', tasksArg = '30000', url = 'memory://path'] = process.argv.slice(2);
const n = Number(tasksArg);
const broker = createBroker(url);
await broker.connect();
const queue = `path-${process.pid}`;

async function drain(count: number): Promise<{ ms: number; cpuUs: number }> {
  for (let i = 0; i < count; i++) await broker.publish(buildMessage('bench.noop', [], queue, {}));
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((resolve) => { finished = resolve; });
  const counting = new Proxy(broker, {
    get(target, key) {
      if (key === 'emit') {
        return (event: { type: string }) => {
          if (event.type === 'task-succeeded' && ++done === count) finished();
          return target.emit(event as never);
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const worker = createWorker({
    broker: counting, pool: pool as PoolKind, queues: [queue],
    app: fileURLToPath(new URL('./tasklane/app.ts', import.meta.url)),
    logger: new Logger('path', 'warn'),
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await worker.start();
  await all;
  const ms = performance.now() - t0;
  const { user, system } = process.cpuUsage(cpu0);
  await worker.stop();
  return { ms, cpuUs: (user + system) / count };
}

await drain(Math.min(5000, n)); // warm-up: JIT, pool start
const { ms, cpuUs } = await drain(n);
process.stdout.write(`${JSON.stringify({ bench: 'path', pool, broker: url, tasks: n, tasksPerSec: round((n / ms) * 1000, 0), cpuUsPerTask: round(cpuUs, 1) })}\n`);
await broker.close();
process.exit(0);
