// A prefork child process: imports the app once (path in argv), then runs the tasks the parent
// hands it over IPC, one at a time, in order. Outcomes of tasks run back to back leave together at
// the end of a turn of the event loop (several short tasks, one message); the outcome of the last
// task it holds leaves at once. It exits when the parent goes away, so no orphan keeps running tasks.
import { RunContext } from '../context.ts';
import { execute, processCpuMeter, serializeError } from '../execute.ts';
import { loadApp } from '../loader.ts';
import type { TaskProgress } from '../protocol.ts';
import { revokedOutcome } from './outcome.ts';
import type { ExecutionOutcome, Invocation } from './pool.ts';
import type { ChildMessage, ParentMessage } from './prefork-protocol.ts';

const [appPath, memoryFlag] = process.argv.slice(2);
/** The parent recycles by memory: each batch of outcomes carries the rss. */
const reportRss = memoryFlag === 'rss';

function send(message: ChildMessage, then?: () => void): void {
  process.send?.(message, undefined, undefined, then);
}

const queue: Invocation[] = [];
let current: RunContext | undefined;
let running = false;
let outbox: Array<{ id: string; outcome: ExecutionOutcome }> = [];
const reportProgress = (id: string, progress: TaskProgress) => send({ type: 'progress', id, progress });

function report(id: string, outcome: ExecutionOutcome): void {
  outbox.push({ id, outcome });
  // With nothing queued behind it, the parent hears now: it has the next task for this child.
  // Otherwise the outcomes leave together at the end of the turn.
  if (!queue.length) flush();
  else if (outbox.length === 1) setImmediate(flush);
}

function flush(): void {
  if (!outbox.length) return; // left with the last one of its turn
  const outcomes = outbox;
  outbox = [];
  send(reportRss ? { type: 'outcomes', outcomes, rssBytes: process.memoryUsage.rss() } : { type: 'outcomes', outcomes });
}

async function runQueue(): Promise<void> {
  running = true;
  for (let invocation = queue.shift(); invocation; invocation = queue.shift()) {
    current = new RunContext(invocation, reportProgress);
    const outcome = await execute(invocation, { context: current, cpu: processCpuMeter });
    current = undefined;
    report(invocation.id, outcome);
  }
  running = false;
}

process.on('disconnect', () => process.exit(0));
process.on('message', (message: ParentMessage) => {
  if (message.type === 'abort') {
    if (current?.id === message.id) {
      current.abort(new Error(message.reason));
      return;
    }
    const waiting = queue.findIndex((invocation) => invocation.id === message.id);
    if (waiting < 0) return;
    queue.splice(waiting, 1);
    report(message.id, revokedOutcome(message.reason));
    return;
  }
  queue.push(...message.invocations);
  if (!running) void runQueue();
});

try {
  await loadApp(appPath);
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'load-failed', error: serializeError(error) }, () => process.exit(1));
}
