// The threads pool's worker thread (run by piscina): loads the app once, then runs the tasks of each
// piscina run one at a time, in order, with the thread's own CPU clock, and answers with their
// outcomes together (a batch of short tasks, one run: one message and one wake-up each way). The
// parent talks to a running task with a hard limit or an abort signal through a port: the thread
// says when it started, the parent forwards an abort (cold shutdown).
import { BroadcastChannel, threadId, workerData, type MessagePort } from 'node:worker_threads';
import { RunContext } from '../context.ts';
import { execute, serializeError, type CpuMeter } from '../execute.ts';
import { loadApp } from '../loader.ts';
import { taskNames } from '../registry.ts';
import { APP_LOAD_ERROR, failedOutcome } from './outcome.ts';
import type { TaskProgress } from '../protocol.ts';
import type { ExecutionOutcome, Invocation } from './pool.ts';
import { threadCpuMeter } from './thread-cpu.ts';
import { DONE } from './slot-table.ts';

export interface ThreadWorkerData {
  appPath: string;
  /** The slot table (slot-table.ts). */
  slotThreads: Int32Array;
  /** The pool's broadcasts: `<channel>.abort` (ThreadAbort, to the threads), `<channel>.progress` (ThreadProgress, to the pool). */
  channel: string;
}

/** A running task's progress report, for the pool. */
export interface ThreadProgress {
  id: string;
  progress: TaskProgress;
}

/** A revoke of a running task, broadcast to every thread of the pool. */
export interface ThreadAbort {
  id: string;
  reason: string;
}

/** Tasks to run in order; answered with their outcomes in the same order (null: taken back by the pool before it started). */
export interface ThreadTask {
  invocations: Invocation[];
  /** Each task's slot in the slot table. */
  slots: number[];
  /** Only for a task run alone with a hard limit or an abort signal (threads.ts). */
  port?: MessagePort;
}

/** The start-up check: each thread loads the app, checks in and waits for the others, so all the
 *  pool's threads are warm before the first task, and N checks land on N different threads. */
export interface ReadyCheck {
  checkedIn: Int32Array;
  threads: number;
}

/** Beyond this a thread stops waiting for the others (start() still learns of any load error). */
const CHECK_IN_WAIT_MS = 30_000;

/** What the thread tells the parent on the task's port before running it. */
export interface ThreadStarted {
  threadId: number;
  startedAt: number;
}

// A load failure is answered per task rather than thrown: piscina stops replacing threads that fail
// while starting, which would leave the pool with none once the app is fixed.
const { appPath, slotThreads, channel } = workerData as ThreadWorkerData;
let loadError: Error | undefined;
try {
  await loadApp(appPath);
} catch (error) {
  loadError = new Error(`the app module failed to load in a worker thread: ${(error as Error).stack ?? error}`);
  loadError.name = APP_LOAD_ERROR;
}

/** The task running in this thread, for a revoke's broadcast. */
let current: RunContext | undefined;
const aborts = new BroadcastChannel(`${channel}.abort`);
aborts.unref();
const progressChannel = new BroadcastChannel(`${channel}.progress`);
progressChannel.unref();
const reportProgress = (id: string, progress: TaskProgress) => progressChannel.postMessage({ id, progress } satisfies ThreadProgress);
aborts.onmessage = (event) => {
  const { id, reason } = (event as { data: ThreadAbort }).data;
  if (current?.id === id) current?.abort(new Error(reason));
};

function checkIn({ checkedIn, threads }: ReadyCheck): void {
  Atomics.add(checkedIn, 0, 1);
  Atomics.notify(checkedIn, 0);
  const deadline = Date.now() + CHECK_IN_WAIT_MS;
  for (let seen = Atomics.load(checkedIn, 0); seen < threads && Date.now() < deadline; seen = Atomics.load(checkedIn, 0)) {
    Atomics.wait(checkedIn, 0, seen, deadline - Date.now());
  }
}

/** The run in progress: piscina may hand this thread one more while a task awaits. */
let previous: Promise<unknown> = Promise.resolve();

export default async function run(task: ThreadTask | ReadyCheck): Promise<Array<ExecutionOutcome | null> | string[]> {
  if ('checkedIn' in task) {
    checkIn(task);
    if (loadError) throw loadError;
    return taskNames();
  }
  const { invocations, slots, port } = task;
  if (loadError) {
    port?.close();
    const failed = failedOutcome(serializeError(loadError), { startedAt: Date.now(), pid: process.pid, threadId });
    return invocations.map(() => failed);
  }
  // A run queued behind another starts once that one is done, even when that one awaits.
  const runs = previous.then(() => runAll(invocations, slots, port));
  previous = runs.catch(() => undefined);
  return runs;
}

async function runAll(invocations: Invocation[], slots: number[], port: MessagePort | undefined): Promise<Array<ExecutionOutcome | null>> {
  const cpu = threadCpuMeter();
  const outcomes: Array<ExecutionOutcome | null> = [];
  try {
    for (let i = 0; i < invocations.length; i++) {
      // Claimed here, unless the pool took it back for an idle thread (null: no outcome from here).
      const claimed = Atomics.compareExchange(slotThreads, slots[i], 0, threadId) === 0;
      outcomes.push(claimed ? await runOne(invocations[i], slots[i], cpu, port) : null);
    }
  } finally {
    port?.close();
  }
  return outcomes;
}

async function runOne(invocation: Invocation, slot: number, cpu: CpuMeter, port: MessagePort | undefined): Promise<ExecutionOutcome> {
  const context = new RunContext(invocation, reportProgress);
  if (port) {
    port.on('message', (reason: string) => context.abort(new Error(reason)));
    port.postMessage({ threadId, startedAt: Date.now() } satisfies ThreadStarted);
  }
  // Set in the turn the task was claimed: a revoke's broadcast, handled in a later turn, finds it.
  current = context;
  try {
    return await execute(invocation, { context, cpu });
  } finally {
    current = undefined;
    Atomics.store(slotThreads, slot, DONE);
  }
}
