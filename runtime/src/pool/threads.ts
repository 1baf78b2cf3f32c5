// threads: N worker threads through piscina, for CPU-bound work (JavaScript runs in parallel on
// threads, unlike Python's). Hard time limit: piscina terminates the thread running the task and
// starts a replacement. maxTasksPerChild: the thread is terminated after its Nth task and replaced.
// maxMemoryPerChild: the thread's heap limit (resourceLimits); a thread that runs out dies alone.
// The soft limit is the task's own timer inside the thread (execute.ts, as in every pool); an abort
// from the caller (cold shutdown) is a message on the task's port that fires its signal. A revoke
// costs running tasks nothing beforehand: it is broadcast to the threads (abort), or kills the
// thread that a shared table says runs the task (terminate). Progress comes back on a broadcast too.
// Tasks measured short (short-tasks.ts, as prefork) go to a thread several to a piscina run. A
// thread running tasks measured quick (under a second) may hold one run of such tasks queued behind,
// so it starts it without waiting for this thread to answer; a thread that falls idle meanwhile
// takes back the queued tasks not yet started (slot-table.ts), so none waits while a thread is free.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BroadcastChannel, MessageChannel, type Worker } from 'node:worker_threads';
import { Piscina, type PiscinaTask } from 'piscina';
import { defaultConcurrency } from './defaults.ts';
import { threadEntry } from './entries.ts';
import { APP_LOAD_ERROR, closedOutcome, failedOutcome, revokedOutcome } from './outcome.ts';
import type { PoolStats } from '../protocol.ts';
import type { ExecutionOutcome, Invocation, Pool, PoolOptions } from './pool.ts';
import { PIPELINE_DEPTH, ShortTasks, type QueuedTask as Task } from './short-tasks.ts';
import { DONE, WITHDRAWN } from './slot-table.ts';
import type { ReadyCheck, ThreadAbort, ThreadProgress, ThreadStarted, ThreadTask, ThreadWorkerData } from './thread.ts';
import { InFlight } from './in-flight.ts';

const RETRY_LOAD_MS = 1000;

/** A piscina run: its tasks in order, each with its slot, and where it sits. */
interface Run {
  tasks: Task[];
  slots: number[];
  /** Read and written by the balancer (piscina queue options: they never cross to the thread). */
  place: Place;
  /** Every task of it may have a run queued behind it: measured quick, no hard limit (its thread may be killed). */
  quick: boolean;
}

/** `behind`: the thread it may queue behind when none is idle; `threadId`: the thread it went to. */
interface Place {
  behind?: number;
  threadId?: number;
}

type Balancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer']>;

/**
 * A run goes to an idle thread; one asked to go behind a thread's run may also go there while that
 * is its only one. The start-up checks go to idle threads only, one each.
 */
const balancer: Balancer = (task: PiscinaTask, workers) => {
  const place = (task as unknown as Record<symbol, Place | null>)[Piscina.queueOptionsSymbol];
  let candidate: (typeof workers)[number] | null = null;
  for (const worker of workers) {
    if (worker.currentUsage === 0) {
      candidate = worker;
      break;
    }
    if (place?.behind === worker.id && worker.currentUsage === 1) candidate = worker;
  }
  if (place && candidate) place.threadId = candidate.id;
  return candidate;
};

/** The most threads a pool may have, resizes included. */
const MAX_THREADS = 1024;
/** Entries of the shared slot table: a run on each thread and one behind it, PIPELINE_DEPTH + 1 tasks each. */
const MAX_SLOTS = 2 * MAX_THREADS * (PIPELINE_DEPTH + 1);

export class ThreadsPool implements Pool {
  readonly kind = 'threads';
  private size: number;
  /** piscina runs in flight, in the current pool and those retiring. */
  private readonly runs = new Set<Run>();
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
  private piscina?: Piscina<ThreadTask | ReadyCheck, Array<ExecutionOutcome | null> | string[]>;
  /** The current pool and those retiring: a revoke may target a thread of either. */
  private readonly live = new Set<Piscina>();
  private closing: 'graceful' | 'cold' | undefined;
  /** The slot table (slot-table.ts): shared by every pool a resize starts, so allocated once at its largest. */
  private readonly slotThreads = new Int32Array(new SharedArrayBuffer(4 * MAX_SLOTS));
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
    if (this.concurrency > MAX_THREADS) throw new Error(`threads pool: concurrency ${this.concurrency} is more than ${MAX_THREADS} threads`);
  }

  get concurrency(): number {
    return this.size;
  }

  /** Quick tasks lately: one more per thread, queued behind its run; short ones: batches of them. */
  get pipelineRoom(): number {
    if (!this.pipelines || !this.shortTasks.quickLately) return 0;
    return this.size + this.shortTasks.room(this.size, true);
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
      if (size > MAX_THREADS) throw new Error(`threads pool: cannot grow to ${size} threads (at most ${MAX_THREADS})`);
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

  private async startThreads(size: number): Promise<Piscina<ThreadTask | ReadyCheck, Array<ExecutionOutcome | null> | string[]>> {
    const memory = this.options.maxMemoryPerChild;
    const piscina = new Piscina<ThreadTask | ReadyCheck, Array<ExecutionOutcome | null> | string[]>({
      filename: threadEntry.href,
      minThreads: size,
      maxThreads: size,
      concurrentTasksPerWorker: this.pipelines ? 2 : 1,
      loadBalancer: balancer,
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
    const outcome = this.shortTasks.enqueue(this.backlog, invocation, signal);
    this.dispatch();
    return this.inFlight.track(outcome);
  }

  /**
   * Gives every idle thread a run (a task or a batch of short ones): from the backlog, else the
   * tasks queued behind a busy thread and not started yet. Then, while tasks wait, one run queued
   * behind each busy thread's.
   */
  private dispatch(): void {
    while (!this.closing && this.piscina && this.freeSlots.length) {
      const { idle, quickThread } = this.occupancy();
      if (idle > 0) {
        if (!this.backlog.length && !this.withdrawQueued()) return;
        this.startRun(this.piscina, undefined, idle);
      } else if (this.pipelines && quickThread !== undefined && this.backlog.length && this.queuesBehind(this.backlog[0])) {
        this.startRun(this.piscina, quickThread, this.concurrency);
      } else return;
    }
  }

  /**
   * Threads with no run here, and one whose only run is of quick tasks, for a run to queue behind.
   * A run counts until its answer is handled, so this errs on the busy side of piscina's own count:
   * a run asked for an idle thread, or to queue behind a single run, is always placed at once. One
   * not placed yet (a thread being replaced) takes a thread.
   */
  private occupancy(): { idle: number; quickThread?: number } {
    /** Per thread: its only run, or null when it has more. */
    const only = new Map<number, Run | null>();
    let unplaced = 0;
    for (const run of this.runs) {
      const { threadId } = run.place;
      if (threadId === undefined) unplaced++;
      else only.set(threadId, only.has(threadId) ? null : run);
    }
    let quickThread: number | undefined;
    // The one whose run started first: of tasks alike, the first to finish.
    for (const [threadId, run] of only) if (run?.quick) quickThread ??= threadId;
    return { idle: this.concurrency - only.size - unplaced, quickThread };
  }

  /** Takes task `i` of `run` back unless its thread has started it (its run then skips it). */
  private takeBack(run: Run, i: number): boolean {
    if (Atomics.compareExchange(this.slotThreads, run.slots[i], 0, WITHDRAWN) !== 0) return false;
    this.slotOf.delete(run.tasks[i].invocation.id);
    return true;
  }

  /** Takes back the not yet started tasks of a run queued behind another on its thread, to the backlog's front. */
  private withdrawQueued(): boolean {
    const first = new Set<number>();
    for (const run of this.runs) {
      const { threadId } = run.place;
      if (threadId === undefined) continue;
      // The oldest run on a thread is the one it runs (or has just answered).
      if (!first.has(threadId)) {
        first.add(threadId);
        continue;
      }
      const withdrawn = run.tasks.filter((_, i) => this.takeBack(run, i));
      if (withdrawn.length) {
        this.backlog.unshift(...withdrawn);
        return true;
      }
    }
    return false;
  }

  /** `behind`: the thread it may queue behind; `threads`: how many threads the backlog is shared between now. */
  private startRun(piscina: Piscina, behind: number | undefined, threads: number): void {
    const tasks = this.takeBatch(threads);
    const slots = tasks.map(({ invocation }) => {
      const slot = this.freeSlots.pop()!;
      this.slotOf.set(invocation.id, slot);
      return slot;
    });
    const run: Run = { tasks, slots, place: { behind }, quick: tasks.every((task) => this.queuesBehind(task)) };
    this.runs.add(run);
    void this.runBatch(piscina, run);
  }

  /**
   * The backlog's first task, and the short ones right behind it when it is short too: an equal
   * share of them per thread to serve, up to one running and PIPELINE_DEPTH behind it. A task that
   * may run long, or has a hard limit or a signal, goes alone, so nothing waits behind it in its run.
   */
  private takeBatch(threads: number): Task[] {
    const batch = [this.backlog.shift()!];
    const size = Math.min(PIPELINE_DEPTH + 1, Math.ceil((this.backlog.length + 1) / threads), this.freeSlots.length);
    while (batch.length < size && this.batches(batch[0]) && this.backlog.length && this.batches(this.backlog[0])) batch.push(this.backlog.shift()!);
    return batch;
  }

  /**
   * May wait behind a thread's run of quick tasks. Not a task with a signal (it has a port of its
   * own, so it runs alone), nor one with a hard limit (the rule of ShortTasks).
   */
  private queuesBehind({ invocation, signal }: Task): boolean {
    return !signal && this.shortTasks.queuesBehindQuick(invocation);
  }

  /** May share a run with other short tasks (same exclusions). */
  private batches({ invocation, signal }: Task): boolean {
    return this.pipelines && !signal && this.shortTasks.queues(invocation);
  }

  private async runBatch(piscina: Piscina, run: Run): Promise<void> {
    const { tasks, slots } = run;
    const invocations = tasks.map((task) => task.invocation);
    // A port only when something must cross while the task runs (a channel and a kill switch per
    // task are a good part of a short task's cost): its start, for the hard limit, and aborts. Such
    // a task runs alone.
    const [{ invocation, signal }] = tasks;
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
    let outcomes: Array<ExecutionOutcome | null>;
    const task = { invocations, slots, ...(channel && { port: channel.port2 }), [Piscina.queueOptionsSymbol]: run.place } as ThreadTask;
    try {
      outcomes = await (channel ? piscina.run(task, { transferList: [channel.port2], signal: kill?.signal }) : piscina.run(task)) as Array<ExecutionOutcome | null>;
      const ran = outcomes.filter((outcome) => outcome !== null);
      const loadFailed = ran.find((outcome) => outcome.error?.name === APP_LOAD_ERROR);
      if (loadFailed) await this.replaceBroken(piscina, loadFailed.threadId, loadFailed.error!.message);
      else if (ran.length) await this.recycleIfDue(piscina, ran[0].threadId, ran.length);
    } catch (error) {
      outcomes = this.crashOutcomes(run, error as NodeJS.ErrnoException, kill?.signal.aborted ?? false, started?.startedAt ?? dispatchedAt);
    }
    clearTimeout(hardTimer);
    signal?.removeEventListener('abort', forward);
    channel?.port1.close();
    const orphans: Task[] = [];
    for (const [i, slot] of slots.entries()) {
      const withdrawn = Atomics.load(this.slotThreads, slot) === WITHDRAWN;
      Atomics.store(this.slotThreads, slot, 0);
      this.freeSlots.push(slot);
      // A withdrawn task is in the backlog or another run already, or was revoked.
      if (withdrawn) continue;
      this.slotOf.delete(invocations[i].id);
      this.terminated.delete(invocations[i].id);
      const outcome = outcomes[i];
      if (outcome) tasks[i].resolve(outcome);
      else orphans.push(tasks[i]);
    }
    this.runs.delete(run);
    // Tasks a dead thread never ran, or ran without a word back, run again elsewhere.
    if (this.closing) for (const orphan of orphans) orphan.resolve(closedOutcome(this.kind));
    else this.backlog.unshift(...orphans);
    this.dispatch();
  }

  /**
   * The thread died during a run: the task it was running (the slot table says which) ends as the
   * death says. The others get no outcome here: those not started, and those finished whose
   * outcomes died with the thread, run again (at least once, as after a worker's crash), as do
   * all of a run that was still queued behind another.
   */
  private crashOutcomes({ tasks, slots }: Run, error: NodeJS.ErrnoException, killed: boolean, startedAt: number): Array<ExecutionOutcome | null> {
    const outcomes: Array<ExecutionOutcome | null> = tasks.map(() => null);
    const running = slots.findIndex((slot) => Atomics.load(this.slotThreads, slot) > 0);
    if (running >= 0) {
      const threadId = Atomics.load(this.slotThreads, slots[running]);
      outcomes[running] = this.crashOutcome(tasks[running].invocation, error, killed, { threadId, startedAt });
    }
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
    // Not started (queued behind a busy thread's run, or on its way to a thread): it never will.
    for (const run of this.runs) {
      const i = run.slots.indexOf(slot);
      if (i < 0 || !this.takeBack(run, i)) continue;
      run.tasks[i].resolve(revokedOutcome(reason.message));
      return true;
    }
    const threadId = Atomics.load(this.slotThreads, slot);
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
    // Running: its thread set `current` in the turn it claimed the task, so the broadcast finds it.
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
    // So do the tasks a thread holds and has not started (queued behind its run, or batched).
    for (const run of this.runs) run.tasks.forEach((task, i) => this.takeBack(run, i) && task.resolve(closedOutcome(this.kind)));
    await this.resizing;
    if (graceful) await this.inFlight.drain();
    this.abortChannel?.close();
    this.progressChannel?.close();
    await Promise.all([this.piscina.destroy(), ...this.retiring]);
  }
}
