// Runs tasks on the worker's own event loop, up to `concurrency` at once: the solo pool (1) and the
// async pool (many). JavaScript on one thread cannot be pre-empted, so the hard time limit can only
// fire the task's AbortSignal here, like the soft one; a task that never looks at it runs on.
import { RunContext } from '../context.ts';
import { execute, type CpuMeter } from '../execute.ts';
import { loadApp } from '../loader.ts';
import type { PoolStats } from '../protocol.ts';
import { closedOutcome } from './outcome.ts';
import { Slots } from './slots.ts';
import type { ExecutionOutcome, Invocation, Pool, PoolLog, PoolOptions } from './pool.ts';

export interface InProcessMeter extends CpuMeter {
  acquire?(): void;
  release?(): void;
}

export class InProcessPool implements Pool {
  private readonly slots: Slots;
  /** The contexts of the tasks running, so abort and a cold close reach them. */
  private readonly running = new Set<RunContext>();
  private readonly warnedHardLimit = new Set<string>();
  private closed = false;
  private log?: PoolLog;

  constructor(
    readonly kind: 'solo' | 'async',
    concurrency: number,
    private readonly options: PoolOptions,
    private readonly meter: InProcessMeter,
  ) {
    this.log = options.log;
    this.slots = new Slots(concurrency);
  }

  get concurrency(): number {
    return this.slots.size;
  }

  async resize(size: number): Promise<void> {
    if (this.kind === 'solo') throw new Error('the solo pool runs one task at a time: it cannot grow or shrink (use threads or prefork for CPU work in parallel, async for many I/O waits)');
    this.slots.resize(size);
  }

  stats(): PoolStats {
    return { size: this.slots.size };
  }

  async start(): Promise<void> {
    if (this.options.appPath) await loadApp(this.options.appPath);
    this.meter.acquire?.();
  }

  run(invocation: Invocation, signal?: AbortSignal): Promise<ExecutionOutcome> {
    // A free slot is the common case: take it without an await (this is every task's path).
    return this.slots.tryAcquire() ? this.execute(invocation, signal) : this.queued(invocation, signal);
  }

  private async queued(invocation: Invocation, signal?: AbortSignal): Promise<ExecutionOutcome> {
    await this.slots.acquire();
    return this.execute(invocation, signal);
  }

  private execute(invocation: Invocation, signal?: AbortSignal): Promise<ExecutionOutcome> {
    if (this.closed) {
      this.slots.release();
      return Promise.resolve(closedOutcome(this.kind));
    }
    const context = new RunContext(invocation, this.options.onProgress);
    this.running.add(context);
    // execute() never rejects: it turns every failure into an outcome, and calls `ended` as it does.
    return execute(this.withHardLimitAsSoft(invocation), { signal, context, cpu: this.meter, ended: this.ended });
  }

  private readonly ended = (context: RunContext): void => {
    this.running.delete(context);
    this.slots.release();
  };

  private withHardLimitAsSoft(invocation: Invocation): Invocation {
    const hard = invocation.timeLimitMs;
    if (hard === undefined) return invocation;
    if (!this.warnedHardLimit.has(invocation.task)) {
      this.warnedHardLimit.add(invocation.task);
      this.log?.warn(`task ${invocation.task} has a hard time limit, which the ${this.kind} pool cannot enforce (it cannot pre-empt JavaScript): its AbortSignal fires at ${hard} ms instead; use the threads or prefork pool to kill it`);
    }
    const soft = invocation.softTimeLimitMs;
    return { ...invocation, softTimeLimitMs: soft === undefined ? hard : Math.min(soft, hard) };
  }

  abort(id: string, reason: Error, terminate: boolean): boolean {
    for (const context of this.running) {
      if (context.id !== id) continue;
      if (terminate) this.log?.warn(`task ${context.task}[${id.slice(0, 6)}]: the ${this.kind} pool cannot kill a running task (it cannot pre-empt JavaScript): its signal is aborted instead, and it stops only if it looks at it; use the threads or prefork pool to kill it`);
      context.abort(reason);
      return true;
    }
    return false;
  }

  async close({ graceful }: { graceful: boolean }): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Tasks still waiting for a slot are answered "closed" rather than started.
    this.slots.flush();
    if (graceful) {
      await this.slots.whenIdle();
    } else {
      // Nothing here can be killed: signal the tasks and return without waiting for them (a task
      // that ignores its signal must not hold up a cold shutdown).
      for (const context of this.running) context.abort(new Error(`the ${this.kind} pool was closed (cold shutdown)`));
    }
    this.meter.release?.();
  }
}
