// The producer's handle on a sent task, and the errors get() throws.
import type { Broker } from './broker/broker.ts';
import { DEFAULT_REVOKE_TTL_MS } from './broker/defaults.ts';
import { toMs, type Duration } from './duration.ts';
import type { SerializedError, TaskProgress, TaskResult, TaskState } from './protocol.ts';

/** The task failed (or was revoked) on the worker; carries the remote error. */
export class TaskError extends Error {
  readonly remote: SerializedError;

  constructor(readonly taskId: string, readonly task: string, remote: SerializedError, readonly state: TaskResult['state'] = 'FAILURE') {
    super(`task ${task}[${taskId}] ${state === 'REVOKED' ? 'was revoked' : 'failed'}: ${remote.name}: ${remote.message}`);
    this.name = 'TaskError';
    this.remote = remote;
    // The remote stack is the useful one; keep ours below it.
    if (remote.stack) this.stack = `${remote.stack}\n    --- awaited by ---\n${this.stack ?? ''}`;
  }
}

export class TimeoutError extends Error {
  constructor(readonly taskId: string, timeoutMs: number) {
    super(`timed out after ${timeoutMs}ms waiting for the result of task ${taskId}`);
    this.name = 'TimeoutError';
  }
}

/** get() on a task sent with ignoreResult: no result of its success is kept, so there is none to wait for. */
export class ResultNotKeptError extends Error {
  constructor(readonly taskId: string, readonly task: string) {
    super(`task ${task}[${taskId}] was sent with ignoreResult: its worker keeps no result of a success, so get() has nothing to wait for; `
      + 'send it with ignoreResult: false to read its result (a failure is kept: state() and result() show it)');
    this.name = 'ResultNotKeptError';
  }
}

// Brokers take a finite wait; "no timeout" waits in slices of this.
const WAIT_SLICE_MS = 60_000;

export class AsyncResult<T = unknown> {
  /** `ignored`: sent with ignoreResult (its send's or its task's), so get() fails at once. */
  constructor(readonly id: string, readonly task: string, private readonly broker: () => Promise<Broker>, readonly ignored = false) {}

  /** The stored outcome, or undefined while the task has not finished. */
  async result(): Promise<TaskResult | undefined> {
    return (await this.broker()).getResult(this.id);
  }

  /** PENDING until the worker stores an outcome; then SUCCESS, FAILURE or REVOKED. */
  async state(): Promise<TaskState> {
    return (await this.result())?.state ?? 'PENDING';
  }

  /**
   * Calls `listener` with each progress report of the task (context().progress(done, total?, meta?)
   * in its handler, at most one every 100 ms, the last always) from the moment the returned promise
   * resolves: reports are events, not stored. Resolves to the unsubscribe function.
   */
  async onProgress(listener: (progress: TaskProgress) => void): Promise<() => Promise<void>> {
    return (await this.broker()).subscribe((event) => {
      if (event.type === 'task-progress' && event.id === this.id && event.progress) listener(event.progress);
    });
  }

  /**
   * Revokes the task (Celery's revoke): if it has not started, no worker will run it (the
   * revocation is kept on the broker for a day, so a worker started later honours it too); if it
   * runs, its context().signal is aborted, or with `terminate` its thread or child process is killed
   * and replaced (prefork and threads; solo and async cannot pre-empt JavaScript, so there only the
   * signal fires and the task stops when it looks at it). get() then throws a TaskError with state
   * REVOKED, unless the task finished before it noticed. Throws when the task has already finished.
   */
  async revoke(options: { terminate?: boolean } = {}): Promise<void> {
    const broker = await this.broker();
    const stored = await broker.getResult(this.id);
    if (stored) {
      throw new Error(`task ${stored.task}[${this.id}] has already finished (${stored.state} at ${new Date(stored.finishedAt).toISOString()}): there is nothing to revoke`);
    }
    await broker.revoke({ id: this.id, terminate: options.terminate === true, ts: Date.now() }, DEFAULT_REVOKE_TTL_MS);
  }

  /**
   * Waits for the result (pushed by the broker where it can, no polling) and returns it; throws a
   * TaskError when the task failed, was revoked or was dead-lettered without running (unknown
   * task, undecodable or oversized message: its remote error's name says which), a TimeoutError
   * when `timeout` passes first, a ResultNotKeptError at once when the task was sent with
   * ignoreResult. (A result dropped by the worker's own default cannot be known here: get() then
   * waits until its timeout.)
   */
  async get(options: { timeout?: Duration; signal?: AbortSignal } = {}): Promise<T> {
    if (this.ignored) throw new ResultNotKeptError(this.id, this.task);
    const broker = await this.broker();
    const timeoutMs = options.timeout === undefined ? undefined : toMs(options.timeout);
    const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    let stored: TaskResult | undefined;
    do {
      options.signal?.throwIfAborted();
      const wait = Math.max(0, Math.min(WAIT_SLICE_MS, deadline - Date.now()));
      stored = await broker.waitForResult(this.id, wait, options.signal);
    } while (!stored && Date.now() < deadline);
    if (!stored) throw new TimeoutError(this.id, timeoutMs!);
    if (stored.state === 'SUCCESS') return stored.result as T;
    throw new TaskError(this.id, stored.task, stored.error ?? { name: 'Error', message: 'no error recorded' }, stored.state);
  }
}
