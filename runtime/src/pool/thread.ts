// The threads pool's worker thread (run by piscina): loads the app once, then runs one task at a
// time with the thread's own CPU clock. The parent talks to a running task through a per-task port:
// the thread says when it started, the parent forwards an abort (revoke, cold shutdown).
import type { MessagePort } from 'node:worker_threads';
import { threadId, workerData } from 'node:worker_threads';
import { execute, serializeError } from '../execute.ts';
import { loadApp } from '../loader.ts';
import { taskNames } from '../registry.ts';
import { APP_LOAD_ERROR, failedOutcome } from './outcome.ts';
import type { ExecutionOutcome, Invocation } from './pool.ts';
import { threadCpuMeter } from './thread-cpu.ts';

export interface ThreadTask {
  invocation: Invocation;
  port: MessagePort;
}

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

export default async function run(task: ThreadTask | 'ready'): Promise<ExecutionOutcome | string[]> {
  if (loadError) {
    if (task === 'ready') throw loadError;
    task.port.close();
    return failedOutcome(serializeError(loadError), { startedAt: Date.now(), pid: process.pid, threadId });
  }
  if (task === 'ready') return taskNames();
  const { invocation, port } = task;
  const controller = new AbortController();
  port.on('message', (reason: string) => controller.abort(new Error(reason)));
  port.postMessage({ threadId, startedAt: Date.now() } satisfies ThreadStarted);
  try {
    return await execute(invocation, { controller, cpu: threadCpuMeter });
  } finally {
    port.close();
  }
}
