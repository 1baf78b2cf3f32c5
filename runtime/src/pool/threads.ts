// threads: N worker threads through piscina, for CPU-bound work (JavaScript runs in parallel on
// threads, unlike Python's). Hard time limit: piscina terminates the thread running the task and
// starts a replacement. maxTasksPerChild: the thread is terminated after its Nth task and replaced.
// maxMemoryPerChild: the thread's heap limit (resourceLimits); a thread that runs out dies alone.
// The soft limit is the task's own timer inside the thread (execute.ts, as in every pool); an abort
// from the caller (cold shutdown) is a message on the task's port that fires its signal. A revoke
// costs running tasks nothing beforehand: it is broadcast to the threads (abort), or kills the
// thread that a shared table says runs the task (terminate). Progress comes back on a broadcast too.
// Tasks measured short (short-tasks.ts, as prefork) go to a thread several to a piscina run.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BroadcastChannel, MessageChannel, type Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { defaultConcurrency } from './defaults.ts';
import { threadEntry } from './entries.ts';
import { APP_LOAD_ERROR, closedOutcome, failedOutcome, revokedOutcome } from './outcome.ts';
import type { PoolStats } from '../protocol.ts';
import type { ExecutionOutcome, Invocation, Pool, PoolOptions } from './pool.ts';
import { PIPELINE_DEPTH, ShortTasks } from './short-tasks.ts';
import { DONE } from './slot-table.ts';
import type { ReadyCheck, ThreadAbort, ThreadProgress, ThreadStarted, ThreadTask, ThreadWorkerData } from './thread.ts';
import { InFlight } from './in-flight.ts';

const RETRY_LOAD_MS = 1000;
/** A task given to the pool: what to run, and where its outcome goes. */
interface Task {
  invocation: Invocation;
  signal?: AbortSignal;
  resolve: (outcome: ExecutionOutcome) => void;
}

/** Entries of the shared slot table: the most tasks a threads pool has dispatched at once, resizes included. */
const MAX_SLOTS = 1024;

export class ThreadsPool implements Pool {
  readonly kind = 'threads';
  private size: number;
  /** piscina runs in flight (threads busy), in the current pool and those retiring. */
  private busy = 0;
  /** Tasks given to the pool that no run holds yet, in order. */
  private readonly backlog: Task[] = [];
  private readonly shortTasks = new ShortTasks();
  /** Recycling counts tasks per thread and bounds its heap: then a thread runs one task per run. */
  private readonly pipelines: boolean;
  /** Pools replaced by a resize, finishing their running tasks. */
  private readonly retiring = new Set<Promise<void>>();
  /** Resizes one at a time: each starts a pool of the new size. */
  private resizing: Promise<void> = Promise.resolve();
  /** Threads replaced (recycled, died, killed at the hard limit). */
  private recycled = 0;
  private readonly tasksPerThread = new Map<number, number>();
  private readonly inFlight = new InFlight();
  private piscina?: Piscina<ThreadTask | ReadyCheck, ExecutionOutcome[] | string[]>;
  /** The current pool and those retiring: a revoke may target a thread of either. */
  private readonly live = new Set<Piscina>();
  private closing: 'graceful' | 'cold' | undefined;
  /** The slot table (slot-table.ts): shared by every pool a resize starts, so allocated once at its largest. */
  private readonly slotThreads = new Int32Array(new SharedArrayBuffer(8 * MAX_SLOTS));
  private readonly freeSlots = Array.from({ length: MAX_SLOTS }, (_, i) => i);
  /** The slot of each task dispatched and not finished. */
  private readonly slotOf = new Map<string, number>();
  /** Tasks whose thread was killed by a revoke, so their end is reported as that. */
  private readonly terminated = new Set<string>();
  private readonly channelName = `tasklane.threads.${randomUUID()}`;
  private abortChannel?: BroadcastChannel;
  private progressChannel?: BroadcastChannel;

  constructor(private readonly options: PoolOptions) {
    this.size = options.concurrency ?? defaultConcurrency('threads');
    this.pipelines = options.maxTasksPerChild === undefined && options.maxMemoryPerChild === undefined;
    if (this.concurrency > MAX_SLOTS) throw new Error(`threads pool: concurrency ${this.concurrency} is more than ${MAX_SLOTS} threads`);
  }

  get concurrency(): number {
    return this.size;
  }

  /** Short tasks lately: this many more may wait here, to go to the threads in batches. */
  get pipelineRoom(): number {
    return this.shortTasks.room(this.size, this.pipelines);
  }

  async start(): Promise<void> {
    this.abortChannel = new BroadcastChannel(`${this.channelName}.abort`);
    this.abortChannel.unref();
    this.progressChannel = new BroadcastChannel(`${this.channelName}.progress`);
    this.progressChannel.unref();
    this.progressChannel.onmessage = (event) => {
      const { id, progress } = (event as { data: ThreadProgress }).data;
      this.options.onProgress?.(id, progress);
    };
    this.piscina = await this.startThreads(this.concurrency);
  }

  /**
   * piscina cannot change its number of threads, and one allowed more threads than tasks starts
   * extras whenever a thread is being replaced. So a resize starts a pool of the new size, warm,
   * hands it the new tasks, and lets the old one finish its running tasks and end.
   */
  resize(size: number): Promise<void> {
    this.resizing = this.resizing.then(async () => {
      if (this.closing || !this.piscina || size === this.concurrency) return;
      if (size > MAX_SLOTS) throw new Error(`threads pool: cannot grow to ${size} threads (at most ${MAX_SLOTS})`);
      const next = await this.startThreads(size);
      const old = this.piscina;
      this.piscina = next;
      this.size = size;
      this.dispatch();
      const retired = old.close().catch(() => undefined).finally(() => {
        this.retiring.delete(retired);
        this.live.delete(old);
      });
      this.retiring.add(retired);
    });
    return this.resizing;
  }

  stats(): PoolStats {
    return { size: this.concurrency, threads: this.piscina?.threads.map((thread: Worker) => thread.threadId) ?? [], recycled: this.recycled };
  }

  private async startThreads(size: number): Promise<Piscina<ThreadTask | ReadyCheck, ExecutionOutcome[] | string[]>> {
    const memory = this.options.maxMemoryPerChild;
    const piscina = new Piscina<ThreadTask | ReadyCheck, ExecutionOutcome[] | string[]>({
      filename: threadEntry.href,
      minThreads: size,
      maxThreads: size,
      concurrentTasksPerWorker: 1,
      workerData: { appPath: resolve(this.options.appPath!), slotThreads: this.slotThreads, channel: this.channelName } satisfies ThreadWorkerData,
      ...(memory !== undefined && { resourceLimits: { maxOldGenerationSizeMb: memory } }),
    });
    // A thread failing outside a task (its task, if any, is answered through run()).
    piscina.on('error', (error: Error) => this.options.log?.error(`a worker thread failed outside a task: ${error.message}`));
    try {
      // Every thread warm before the first task, as prefork's children are.
      const check: ReadyCheck = { checkedIn: new Int32Array(new SharedArrayBuffer(4)), threads: size };
      await Promise.all(Array.from({ length: size }, () => piscina.run(check)));
    } catch (error) {
      await piscina.destroy();
      throw new Error(`threads pool: ${(error as Error).message}`, { cause: error });
    }
    this.live.add(piscina);
    return piscina;
  }

  run(invocation: Invocation, signal?: AbortSignal): Promise<ExecutionOutcome> {
    if (this.closing || !this.piscina) return Promise.resolve(closedOutcome(this.kind));
    return this.inFlight.track(new Promise<ExecutionOutcome>((resolve) => {
      this.backlog.push({
        invocation,
        signal,
        resolve: (outcome) => {
          this.shortTasks.record(invocation.task, outcome.wallMs);
          resolve(outcome);
        },
      });
      this.dispatch();
    }));
  }

  /** Starts a piscina run per idle thread while tasks wait: a batch of short ones, or one task. */
  private dispatch(): void {
    while (this.backlog.length && this.busy < this.concurrency && !this.closing && this.piscina) {
      const batch = this.takeBatch();
      this.busy++;
      void this.runBatch(this.piscina, batch).finally(() => {
        this.busy--;
        this.dispatch();
      });
    }
  }

  /**
   * The backlog's first task, and the short ones right behind it when it is short too: an equal
   * share of them per idle thread, up to one running and PIPELINE_DEPTH behind it. A task that may
   * run long, or has a hard limit or a signal, runs alone, so nothing waits behind it.
   */
  private takeBatch(): Task[] {
    const batch = [this.backlog.shift()!];
    const idle = this.concurrency - this.busy;
    const size = Math.min(PIPELINE_DEPTH + 1, Math.ceil((this.backlog.length + 1) / idle), this.freeSlots.length - (idle - 1));
    while (batch.length < size && this.batches(batch[0]) && this.backlog.length && this.batches(this.backlog[0])) batch.push(this.backlog.shift()!);
    return batch;
  }

  private batches({ invocation, signal }: Task): boolean {
    return this.pipelines && !signal && this.shortTasks.queues(invocation);
  }

  private async runBatch(piscina: Piscina, batch: Task[]): Promise<void> {
    const invocations = batch.map((task) => task.invocation);
    const slots = invocations.map(({ id }) => {
      const slot = this.freeSlots.pop()!;
      this.slotOf.set(id, slot);
      return slot;
    });
    // A port only when something must cross while the task runs (a channel and a kill switch per
    // task are a good part of a short task's cost): its start, for the hard limit, and aborts. Such
    // a task runs alone.
    const [{ invocation, signal }] = batch;
    const limit = invocation.timeLimitMs;
    const channel = limit !== undefined || signal ? new MessageChannel() : undefined;
    const kill = limit !== undefined ? new AbortController() : undefined;
    let started: ThreadStarted | undefined;
    let hardTimer: NodeJS.Timeout | undefined;
    const forward = () => channel?.port1.postMessage(String((signal?.reason as Error | undefined)?.message ?? signal?.reason ?? 'aborted'));
    if (channel) {
      // The hard limit counts from the start in the thread, not from a wait for a replacement thread.
      channel.port1.on('message', (message: ThreadStarted) => {
        started = message;
        if (limit !== undefined) hardTimer = setTimeout(() => kill!.abort(), limit);
      });
      if (signal?.aborted) forward();
      else signal?.addEventListener('abort', forward, { once: true });
    }
    const dispatchedAt = Date.now();
    let outcomes: ExecutionOutcome[];
    try {
      const task: ThreadTask = channel ? { invocations, slots, port: channel.port2 } : { invocations, slots };
      outcomes = await (channel ? piscina.run(task, { transferList: [channel.port2], signal: kill?.signal }) : piscina.run(task)) as ExecutionOutcome[];
      const loadFailed = outcomes.find((outcome) => outcome.error?.name === APP_LOAD_ERROR);
      if (loadFailed) await this.replaceBroken(piscina, loadFailed.threadId, loadFailed.error!.message);
      else await this.recycleIfDue(piscina, outcomes[0].threadId, outcomes.length);
    } catch (error) {
      outcomes = this.crashOutcomes(batch, slots, error as NodeJS.ErrnoException, kill?.signal.aborted ?? false, started?.startedAt ?? dispatchedAt);
    } finally {
      for (const [i, slot] of slots.entries()) {
        this.slotOf.delete(invocations[i].id);
        this.terminated.delete(invocations[i].id);
        Atomics.store(this.slotThreads, 2 * slot, 0);
        Atomics.store(this.slotThreads, 2 * slot + 1, 0);
        this.freeSlots.push(slot);
      }
      clearTimeout(hardTimer);
      signal?.removeEventListener('abort', forward);
      channel?.port1.close();
    }
    // Tasks left without an outcome by a dead thread go back to the front of the backlog.
    const orphans = batch.filter((task, i) => {
      if (outcomes[i]) task.resolve(outcomes[i]);
      return !outcomes[i];
    });
    if (this.closing) for (const task of orphans) task.resolve(closedOutcome(this.kind));
    else this.backlog.unshift(...orphans);
  }

  /**
   * The thread died during a run: the task it was running (the slot table says which; else the
   * first one not finished) ends as the death says. The others get no outcome here and run again
   * elsewhere: those not started, and those finished whose outcomes died with the thread (at least
   * once, as after a worker's crash).
   */
  private crashOutcomes(batch: Task[], slots: number[], error: NodeJS.ErrnoException, killed: boolean, startedAt: number): ExecutionOutcome[] {
    const threads = slots.map((slot) => Atomics.load(this.slotThreads, 2 * slot));
    let running = threads.findIndex((threadId) => threadId > 0);
    if (running < 0) running = Math.max(0, threads.findIndex((threadId) => threadId !== DONE));
    const outcomes: ExecutionOutcome[] = [];
    outcomes[running] = this.crashOutcome(batch[running].invocation, error, killed, { threadId: Math.max(0, threads[running]), startedAt });
    return outcomes;
  }

  abort(id: string, reason: Error, terminate: boolean): boolean {
    const waiting = this.backlog.findIndex((task) => task.invocation.id === id);
    if (waiting >= 0) {
      const [task] = this.backlog.splice(waiting, 1);
      task.resolve(revokedOutcome(reason.message));
      return true;
    }
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const threadId = Atomics.load(this.slotThreads, 2 * slot);
    // Finished: its outcome is on its way with its batch's.
    if (threadId === DONE) return false;
    const thread = terminate && threadId
      ? [...this.live].flatMap((pool) => pool.threads).find((candidate: Worker) => candidate.threadId === threadId)
      : undefined;
    if (thread) {
      this.terminated.add(id);
      void thread.terminate();
      return true;
    }
    // The flag is for a task its thread has not started yet (it looks when it starts); the
    // broadcast for one it has. Not started, a task to terminate is aborted at its start instead.
    Atomics.store(this.slotThreads, 2 * slot + 1, 1);
    this.abortChannel?.postMessage({ id, reason: reason.message } satisfies ThreadAbort);
    return true;
  }

  /** `started.threadId` is 0 when the task had not started. */
  private crashOutcome(invocation: Invocation, error: NodeJS.ErrnoException, killed: boolean, started: ThreadStarted): ExecutionOutcome {
    this.recycled++;
    if (started.threadId) this.tasksPerThread.delete(started.threadId);
    const where = { startedAt: started.startedAt, pid: process.pid, threadId: started.threadId };
    if (this.terminated.has(invocation.id)) {
      return failedOutcome({ name: 'TaskRevoked', message: `task ${invocation.task} was revoked with terminate: its thread was terminated and replaced` }, where, 'died');
    }
    if (killed) {
      return failedOutcome({ name: 'TimeLimitExceeded', message: `task ${invocation.task} exceeded its hard time limit (${invocation.timeLimitMs} ms): its thread was terminated and replaced` }, where, 'time-limit');
    }
    if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return failedOutcome({ name: 'MemoryLimitExceeded', message: `task ${invocation.task} ran its thread out of memory (maxMemoryPerChild ${this.options.maxMemoryPerChild ?? 'default'} MB): the thread was replaced`, stack: error.stack }, where, 'memory');
    }
    const reason = this.closing === 'cold' ? 'the pool was closed (cold shutdown)' : error.message;
    return failedOutcome({ name: 'WorkerDied', message: `the worker thread running task ${invocation.task} died: ${reason}`, stack: error.stack }, where, 'died');
  }

  /** A thread that could not load the app (say, a syntax error saved since the pool started) is replaced after a pause, not in a tight loop. */
  private async replaceBroken(piscina: Piscina, threadId: number, message: string): Promise<void> {
    this.options.log?.error(`${message.split('\n')[0]}; replacing the thread in ${RETRY_LOAD_MS / 1000} s`);
    await delay(RETRY_LOAD_MS);
    await this.terminate(piscina, threadId);
  }

  private async terminate(piscina: Piscina, threadId: number): Promise<void> {
    this.recycled++;
    this.tasksPerThread.delete(threadId);
    await piscina.threads.find((thread: Worker) => thread.threadId === threadId)?.terminate();
  }

  /** Safe because the pool never queues work in piscina: nothing else can be dispatched to this thread meanwhile. */
  private async recycleIfDue(piscina: Piscina, threadId: number, tasks: number): Promise<void> {
    const max = this.options.maxTasksPerChild;
    if (max === undefined) return;
    const count = (this.tasksPerThread.get(threadId) ?? 0) + tasks;
    if (count < max) {
      this.tasksPerThread.set(threadId, count);
      return;
    }
    await this.terminate(piscina, threadId);
  }

  async close({ graceful }: { graceful: boolean }): Promise<void> {
    if (this.closing || !this.piscina) return;
    this.closing = graceful ? 'graceful' : 'cold';
    for (const task of this.backlog.splice(0)) task.resolve(closedOutcome(this.kind));
    await this.resizing;
    if (graceful) await this.inFlight.drain();
    this.abortChannel?.close();
    this.progressChannel?.close();
    await Promise.all([this.piscina.destroy(), ...this.retiring]);
  }
}
