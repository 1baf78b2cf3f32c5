// Which tasks run in well under a millisecond, from their recent wall times. prefork and threads
// run only those several at a time on one child or thread (queued in a busy child, one IPC message;
// a batch per piscina run): a task that may run long never waits behind another, and no-op-sized
// tasks stop paying a message round trip and a wake-up each.

import type { ExecutionOutcome, Invocation } from './pool.ts';

/** A task whose recent wall time averages below this is short. */
const SHORT_MS = 1;
/** Weight of the newest sample: one long run makes a task long at once; it takes ~20 short ones to be short again. */
const WEIGHT = 0.2;
/**
 * A task whose recent wall time averages below this is quick: threads may queue one run of such
 * tasks behind a thread's run of them (it waits at most about this long, and a thread falling idle
 * takes it back), so the thread does not wait for the pool between runs.
 */
const QUICK_MS = 1000;
/** Short tasks a child or thread may hold behind the one it runs. */
export const PIPELINE_DEPTH = 8;

/** A task given to a pool (prefork, threads): what to run, and where its outcome goes. */
export interface QueuedTask {
  invocation: Invocation;
  signal?: AbortSignal;
  resolve: (outcome: ExecutionOutcome) => void;
}

export class ShortTasks {
  private readonly wallMs = new Map<string, number>();
  /** Over every task: whether the pool has been running short tasks lately. */
  private recent = Infinity;

  record(task: string, wallMs: number): void {
    const before = this.wallMs.get(task);
    this.wallMs.set(task, before === undefined ? wallMs : before + WEIGHT * (wallMs - before));
    this.recent = this.recent === Infinity ? wallMs : this.recent + WEIGHT * (wallMs - this.recent);
  }

  /** Puts a task at the end of `backlog`; its outcome's wall time is recorded here before it resolves. */
  enqueue(backlog: QueuedTask[], invocation: Invocation, signal?: AbortSignal): Promise<ExecutionOutcome> {
    return new Promise((resolve) => backlog.push({
      invocation,
      signal,
      resolve: (outcome) => {
        this.record(invocation.task, outcome.wallMs);
        resolve(outcome);
      },
    }));
  }

  /** Known, and short lately. A task never run here is not. */
  isShort(task: string): boolean {
    const ms = this.wallMs.get(task);
    return ms !== undefined && ms < SHORT_MS;
  }

  /** Known, and quick lately (under a second). */
  isQuick(task: string): boolean {
    const ms = this.wallMs.get(task);
    return ms !== undefined && ms < QUICK_MS;
  }

  /** The tasks run lately were quick: worth reserving one more per thread, to queue it. */
  get quickLately(): boolean {
    return this.recent < QUICK_MS;
  }

  /** The tasks run lately were short: worth reserving more, to queue them. */
  get lately(): boolean {
    return this.recent < SHORT_MS;
  }

  /** Pool.pipelineRoom of a pool of `size` that may pipeline (no recycling configured). */
  room(size: number, pipelines: boolean): number {
    return pipelines && this.lately ? PIPELINE_DEPTH * size : 0;
  }

  /** May run behind another task: no hard limit (its timer starts when it starts), and measured short. */
  queues(invocation: Invocation): boolean {
    return invocation.timeLimitMs === undefined && this.isShort(invocation.task);
  }

  /** May wait behind a run of quick tasks: no hard limit, and measured quick. */
  queuesBehindQuick(invocation: Invocation): boolean {
    return invocation.timeLimitMs === undefined && this.isQuick(invocation.task);
  }
}
