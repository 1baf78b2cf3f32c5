// The threads pool's worker thread (run by piscina): loads the app once, then runs one task at a
// time with the thread's own CPU clock. The parent talks to a running task through a per-task port:
// the thread says when it started, the parent forwards an abort (revoke, cold shutdown).
import type { MessagePort } from 'node:worker_threads';
import { threadId, workerData } from 'node:worker_threads';
import { RunContext } from '../context.ts';
import { execute, serializeError } from '../execute.ts';
import { loadApp } from '../loader.ts';
import { taskNames } from '../registry.ts';
import { APP_LOAD_ERROR, failedOutcome } from './outcome.ts';
import type { ExecutionOutcome, Invocation } from './pool.ts';
import { threadCpuMeter } from './thread-cpu.ts';

export interface ThreadTask {
  invocation: Invocation;
  /** Only for tasks with a hard limit or an abort signal (threads.ts). */
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
let loadError: Error | undefined;
try {
  await loadApp((workerData as { appPath: string }).appPath);
} catch (error) {
  loadError = new Error(`the app module failed to load in a worker thread: ${(error as Error).stack ?? error}`);
  loadError.name = APP_LOAD_ERROR;
}

function checkIn({ checkedIn, threads }: ReadyCheck): void {
  Atomics.add(checkedIn, 0, 1);
  Atomics.notify(checkedIn, 0);
  const deadline = Date.now() + CHECK_IN_WAIT_MS;
  for (let seen = Atomics.load(checkedIn, 0); seen < threads && Date.now() < deadline; seen = Atomics.load(checkedIn, 0)) {
    Atomics.wait(checkedIn, 0, seen, deadline - Date.now());
  }
}

export default async function run(task: ThreadTask | ReadyCheck): Promise<ExecutionOutcome | string[]> {
  if ('checkedIn' in task) {
    checkIn(task);
    if (loadError) throw loadError;
    return taskNames();
  }
  if (loadError) {
    task.port?.close();
    return failedOutcome(serializeError(loadError), { startedAt: Date.now(), pid: process.pid, threadId });
  }
  const { invocation, port } = task;
  const context = new RunContext(invocation);
  port?.on('message', (reason: string) => context.abort(new Error(reason)));
  port?.postMessage({ threadId, startedAt: Date.now() } satisfies ThreadStarted);
  try {
    return await execute(invocation, { context, cpu: threadCpuMeter });
  } finally {
    port?.close();
  }
}
