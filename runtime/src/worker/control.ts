// A worker's side of remote control (`tasklane control`, Celery's `celery control`): it answers
// every request addressed to all workers or to it by name, on the broker's control channel.
import { randomUUID } from 'node:crypto';
import type { Broker } from '../broker/broker.ts';
import type { Logger } from '../logger.ts';
import type { ControlCommand, ControlMessage } from '../protocol.ts';
import type { Worker } from './worker.ts';

type Request = Extract<ControlMessage, { type: 'request' }>;

function count(args: Request['args']): number {
  const n = Number(args[0]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`the number of slots must be a whole number >= 1, got ${JSON.stringify(args[0])}`);
  return n;
}

/** Carries out one request; resolves to the reply's text, or throws what went wrong. */
async function carryOut(worker: Worker, { command, args }: Request): Promise<string> {
  switch (command) {
    case 'ping':
      return 'pong';
    case 'rate-limit': {
      const [task, limit] = args.map(String);
      worker.setRateLimit(task, limit);
      return limit === '0' ? `rate limit of ${task} removed` : `rate limit of ${task} set to ${limit}`;
    }
    case 'pool-grow':
      await worker.resize(worker.concurrency + count(args));
      return `pool ${worker.kind} grown to ${worker.concurrency}`;
    case 'pool-shrink': {
      const size = worker.concurrency - count(args);
      if (size < 1) throw new Error(`cannot shrink the pool below 1 (it is ${worker.concurrency})`);
      await worker.resize(size);
      return `pool ${worker.kind} shrunk to ${worker.concurrency}`;
    }
    case 'shutdown':
      // After the reply is on its way: the shutdown closes the broker the reply is sent through.
      setImmediate(() => void worker.stop({ graceful: true }));
      return 'shutting down (warm)';
  }
}

export async function listenForControl(worker: Worker, broker: Broker, logger: Logger): Promise<() => Promise<void>> {
  return broker.onControl(async (message) => {
    if (message.type !== 'request' || (message.destination && !message.destination.includes(worker.name))) return;
    let reply: ControlMessage;
    try {
      reply = { type: 'reply', id: message.id, worker: worker.name, ok: true, reply: await carryOut(worker, message) };
    } catch (error) {
      reply = { type: 'reply', id: message.id, worker: worker.name, ok: false, error: (error as Error).message };
    }
    logger.info(`control ${message.command}${message.args.length ? ` ${message.args.join(' ')}` : ''}: ${reply.ok ? reply.reply : `refused: ${reply.error}`}`);
    broker.control(reply).catch((error: Error) => logger.warn(`control reply not sent: ${error.message}`));
  });
}

/**
 * Sends `command` to the workers (all, or those named in `destination`) and collects their replies
 * for up to `timeoutMs`, or until every live worker asked has answered.
 */
export async function sendControl(broker: Broker, command: ControlCommand, args: Request['args'], options: { timeoutMs: number; destination?: string[] }): Promise<Array<Extract<ControlMessage, { type: 'reply' }>>> {
  const id = randomUUID();
  const replies: Array<Extract<ControlMessage, { type: 'reply' }>> = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => { done = resolve; });
  const expected = options.destination?.length ?? (await broker.workers()).length;
  const stop = await broker.onControl((message) => {
    if (message.type !== 'reply' || message.id !== id) return;
    replies.push(message);
    if (expected && replies.length >= expected) done();
  });
  const timer = setTimeout(done, options.timeoutMs);
  try {
    await broker.control({ type: 'request', id, command, args, ...(options.destination && { destination: options.destination }) });
    await finished;
  } finally {
    clearTimeout(timer);
    await stop();
  }
  return replies.sort((a, b) => a.worker.localeCompare(b.worker));
}
