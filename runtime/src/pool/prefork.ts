// prefork: N child processes (child_process.fork), each importing the app once and running one
// task at a time: CPU-bound work that wants isolation (non-thread-safe native modules, leaks,
// crashes). Hard time limit: SIGKILL the child and fork a replacement. A child that dies mid-task
// is reported as crash 'died' and replaced; the tasks queued behind it go to another child.
// maxTasksPerChild / maxMemoryPerChild (rss after a task) recycle the child between tasks.
// A task goes to an idle child; only tasks measured short (short-tasks.ts) also queue in a busy
// one, up to PIPELINE_DEPTH, so a child gets them several to a message and answers likewise.
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { defaultConcurrency } from './defaults.ts';
import { childEntry, childLoaderFlags } from './entries.ts';
import { closedOutcome, failedOutcome, revokedOutcome } from './outcome.ts';
import type { PoolStats, SerializedError } from '../protocol.ts';
import type { ExecutionOutcome, Invocation, Pool, PoolOptions } from './pool.ts';
import type { ChildMessage, ParentMessage } from './prefork-protocol.ts';
import type { ProgressSink } from '../context.ts';
import { InFlight } from './in-flight.ts';
import { PIPELINE_DEPTH, ShortTasks, type QueuedTask as Task } from './short-tasks.ts';

const RESPAWN_DELAY_MS = 1000;

// Children inherit execArgv and NODE_OPTIONS (js-debug's bootloader when debugging), except the
// parent's own inspector flags: every child would fight over its port, and a child paused by
// --inspect-brk would never serve. Each child listens on a free port (0) instead.
//
// And without V8's memory reducer, unless the parent's flags say otherwise (they come after, so
// they win): it takes a low allocation rate for an idle process and then runs full collections to
// shrink the heap. A child busy with CPU-bound tasks allocates little, so the reducer's
// collections, armed by the growth of loading the app, land between its tasks.
function childExecArgv(): string[] {
  const inherited = process.execArgv.map((arg) => arg
    .replace(/^--inspect(?:-brk|-wait)?(?:=.*)?$/, '--inspect=0')
    .replace(/^--inspect-port=.*$/, '--inspect-port=0'));
  const hasTsx = inherited.some((arg) => arg === 'tsx' || /[\\/]tsx[\\/]/.test(arg));
  return ['--no-memory-reducer', ...inherited, ...(hasTsx ? [] : childLoaderFlags)];
}

/** A task a child holds: the first one runs, the rest wait in the child in order. */
interface Held extends Task {
  startedAt: number;
  killedFor?: 'time-limit' | 'cold' | 'revoked';
  hardTimer?: NodeJS.Timeout;
  forward?: () => void;
}

interface ChildHooks {
  onReady(child: Child): void;
  onExit(child: Child): void;
  /** Outcomes came back (rss when asked for): the child may be recycled, and has room again. */
  onOutcomes(child: Child, rssBytes: number | undefined): void;
  /** Tasks it held but never started, when it died: they are run elsewhere. */
  onOrphans(tasks: Task[]): void;
  onProgress?: ProgressSink;
}

class Child {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  /** Tasks finished. */
  tasks = 0;
  isReady = false;
  exited = false;
  /** Why the app module did not load, when the child said so before it exited. */
  loadError?: SerializedError;
  /** How it ended: "SIGKILL" or "exit code 1". */
  ending?: string;
  private readonly held = new Map<string, Held>();
  /** Given this tick, sent together at its end. */
  private outgoing: Invocation[] = [];

  constructor(appPath: string, reportRss: boolean, hooks: ChildHooks) {
    this.process = fork(childEntry, reportRss ? [appPath, 'rss'] : [appPath], { execArgv: childExecArgv(), stdio: 'inherit', serialization: 'advanced' });
    this.ready = new Promise<void>((ready, failed) => {
      this.process.on('message', (message: ChildMessage) => {
        if (message.type === 'outcomes') {
          for (const { id, outcome } of message.outcomes) this.finish(id, outcome);
          hooks.onOutcomes(this, message.rssBytes);
        } else if (message.type === 'progress') hooks.onProgress?.(message.id, message.progress);
        else if (message.type === 'ready') {
          this.isReady = true;
          ready();
          if (this.outgoing.length) this.sendGiven();
          hooks.onReady(this);
        } else if (message.type === 'load-failed') {
          // Leaving: no task may be handed to it between this message and its exit.
          this.exited = true;
          this.loadError = message.error;
          failed(new Error(`the app module failed to load in a prefork child: ${message.error.stack ?? message.error.message}`));
        }
      });
      this.process.on('exit', (code, signal) => {
        this.exited = true;
        this.ending = signal ?? `exit code ${code}`;
        failed(new Error(this.unreadyEnd(appPath)));
        hooks.onOrphans(this.settleDeath(this.ending, appPath));
        hooks.onExit(this);
      });
    });
    // Nobody may be waiting on ready when a child dies idle; its failure is reported through onExit.
    this.ready.catch(() => undefined);
  }

  /**
   * Why a child that never became ready is gone, for a child that did not report a load error:
   * killed from outside (the OOM killer, a kill command) or ended by the app module itself. Not
   * "could not load": that sends people looking for a bug in code that is fine.
   */
  unreadyEnd(appPath: string): string {
    return this.process.signalCode
      ? `a prefork child was killed (${this.ending}) while loading ${appPath}, before it was ready; it reported no load error, so something outside stopped it (the OOM killer, a kill command)`
      : `a prefork child ended (${this.ending}) while loading ${appPath}, before it was ready, without reporting a load error: does the app module exit the process as it loads?`;
  }

  /** Tasks it holds (running and queued). */
  get load(): number {
    return this.held.size;
  }

  /** Whether every task it holds may have another queued behind it. */
  takesMore(shortTasks: ShortTasks): boolean {
    for (const { invocation } of this.held.values()) if (!shortTasks.queues(invocation)) return false;
    return true;
  }

  /** Takes a task: sent with the others given this tick, or once it is ready. */
  give(task: Task): void {
    const { invocation, signal } = task;
    const held: Held = { ...task, startedAt: Date.now() };
    this.held.set(invocation.id, held);
    if (signal) {
      held.forward = () => this.abort(invocation.id, String((signal.reason as Error | undefined)?.message ?? signal.reason ?? 'aborted'));
      if (signal.aborted) held.forward();
      else signal.addEventListener('abort', held.forward, { once: true });
    }
    if (!this.outgoing.length && this.isReady) queueMicrotask(() => this.sendGiven());
    this.outgoing.push(invocation);
  }

  /** The hard limit counts from here: only an idle child gets a task with one, so it starts now. */
  private sendGiven(): void {
    const invocations = this.outgoing;
    if (!invocations.length) return;
    this.outgoing = [];
    const now = Date.now();
    for (const invocation of invocations) {
      const held = this.held.get(invocation.id);
      if (!held) continue;
      held.startedAt = now;
      if (invocation.timeLimitMs !== undefined) held.hardTimer = setTimeout(() => this.kill('time-limit'), invocation.timeLimitMs);
    }
    this.send({ type: 'run', invocations });
  }

  private finish(id: string, outcome: ExecutionOutcome): void {
    const held = this.held.get(id);
    if (!held) return;
    this.held.delete(id);
    this.release(held);
    this.tasks++;
    held.resolve(outcome);
  }

  private release(held: Held): void {
    clearTimeout(held.hardTimer);
    if (held.forward) held.signal?.removeEventListener('abort', held.forward);
  }

  /** Whether task `id` is held here; `running`: and is the one it runs now. */
  holds(id: string): { running: boolean } | undefined {
    if (!this.held.has(id)) return undefined;
    return { running: this.held.keys().next().value === id };
  }

  /** Fires the task's signal in the child, or drops it there if it has not started. */
  abort(id: string, reason: string): void {
    this.send({ type: 'abort', id, reason });
  }

  /** Kills the child; `reason` is what its running task ends with. */
  kill(reason: 'time-limit' | 'cold' | 'revoked'): void {
    const running = this.held.values().next().value;
    if (running) running.killedFor = reason;
    this.process.kill('SIGKILL');
  }

  /** Asks an idle child to leave: it exits when its IPC channel closes. */
  retire(): void {
    if (this.process.connected) this.process.disconnect();
  }

  private send(message: ParentMessage): void {
    if (!this.process.connected) return;
    // A child can be dead before its exit is processed: the write then fails (EPIPE), which without
    // this callback is an 'error' event that ends the worker. The exit settles the task as died; the
    // kill makes sure an exit comes.
    this.process.send(message, undefined, undefined, (error) => {
      if (error) this.process.kill('SIGKILL');
    });
  }

  /** The running task ends as the death says; the ones queued behind it are returned, never started. */
  private settleDeath(how: string, appPath: string): Task[] {
    const [first, ...queued] = this.held.values();
    this.held.clear();
    for (const held of queued) this.release(held);
    if (!first) return queued;
    this.release(first);
    const { invocation, startedAt, killedFor } = first;
    const where = { startedAt, pid: this.process.pid ?? 0, threadId: 0 };
    if (killedFor === 'revoked') {
      first.resolve(failedOutcome({ name: 'TaskRevoked', message: `task ${invocation.task} was revoked with terminate: its child process was killed and replaced` }, where, 'died'));
    } else if (killedFor === 'time-limit') {
      first.resolve(failedOutcome({ name: 'TimeLimitExceeded', message: `task ${invocation.task} exceeded its hard time limit (${invocation.timeLimitMs} ms): its child process was killed and replaced` }, where, 'time-limit'));
    } else if (!this.isReady) {
      // Given to it while it loaded: the task fails with why it never became ready.
      const why = this.loadError ? `the app module failed to load in a prefork child: ${this.loadError.stack ?? this.loadError.message}` : this.unreadyEnd(appPath);
      first.resolve(failedOutcome({ name: 'WorkerDied', message: why }, where, 'died'));
    } else {
      const why = killedFor === 'cold' ? 'the pool was closed (cold shutdown)' : `the child process ended (${how}) and was replaced`;
      first.resolve(failedOutcome({ name: 'WorkerDied', message: `the prefork child running task ${invocation.task} died: ${why}` }, where, 'died'));
    }
    return queued;
  }
}

export class PreforkPool implements Pool {
  readonly kind = 'prefork';
  private size: number;
  /** Children replaced (recycled, died, killed at the hard limit). */
  private recycled = 0;
  private readonly appPath: string;
  private readonly children = new Set<Child>();
  private readonly inFlight = new InFlight();
  /** Tasks given to the pool that no child holds yet, in order. */
  private readonly backlog: Task[] = [];
  private readonly spawned: Array<() => void> = [];
  private readonly respawns = new Set<NodeJS.Timeout>();
  private closing: 'graceful' | 'cold' | undefined;
  private readonly shortTasks = new ShortTasks();
  /** Recycling counts tasks and reads rss between tasks: then a child holds one task at a time. */
  private readonly pipelines: boolean;

  constructor(private readonly options: PoolOptions) {
    this.size = options.concurrency ?? defaultConcurrency('prefork');
    this.appPath = resolve(options.appPath!);
    this.pipelines = options.maxTasksPerChild === undefined && options.maxMemoryPerChild === undefined;
  }

  get concurrency(): number {
    return this.size;
  }

  /** Short tasks lately: the children can take this many more, queued behind their running ones. */
  get pipelineRoom(): number {
    return this.shortTasks.room(this.size, this.pipelines);
  }

  /** Grows by forking children now; shrinks by retiring idle ones, and busy ones as they finish. */
  async resize(size: number): Promise<void> {
    for (let i = this.children.size; i < size; i++) this.spawn();
    this.size = size;
    this.retireSurplus();
    this.dispatch();
  }

  stats(): PoolStats {
    return { size: this.concurrency, processes: [...this.children].map((child) => child.process.pid ?? 0), recycled: this.recycled };
  }

  private retireSurplus(): void {
    for (const child of this.children) {
      if (this.children.size <= this.concurrency) return;
      if (child.load || child.exited) continue;
      this.children.delete(child);
      child.retire();
    }
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.concurrency; i++) this.spawn();
    try {
      await this.allReady();
    } catch (error) {
      await this.close({ graceful: false });
      throw error;
    }
  }

  /**
   * Resolves once N children are ready. A child killed from outside while loading (a signal, no
   * load error) is replaced as any dead child is, and its replacement awaited: a kill during a
   * (re)start must not take the worker down. An app that fails to load, or ends its process as it
   * loads, fails the start: the worker says why at once instead of respawning children forever.
   */
  private async allReady(): Promise<void> {
    while (!this.closing) {
      const loading = [...this.children].filter((child) => !child.isReady);
      if (!loading.length) {
        if (this.children.size >= this.concurrency) return;
        await new Promise<void>((wake) => this.spawned.push(wake)); // a replacement is due
        continue;
      }
      const outcomes = await Promise.allSettled(loading.map((child) => child.ready));
      outcomes.forEach((outcome, i) => {
        const child = loading[i];
        if (outcome.status === 'rejected' && (child.loadError || !child.process.signalCode)) throw outcome.reason;
      });
    }
  }

  private spawn(): Child {
    const child = new Child(this.appPath, this.options.maxMemoryPerChild !== undefined, {
      onReady: () => this.dispatch(),
      onExit: (gone) => this.replace(gone),
      onOutcomes: (done, rssBytes) => {
        this.recycleIfDue(done, rssBytes);
        this.retireSurplus();
        this.dispatch();
      },
      onOrphans: (tasks) => {
        if (this.closing) for (const task of tasks) task.resolve(closedOutcome(this.kind));
        else this.backlog.unshift(...tasks);
      },
      onProgress: this.options.onProgress,
    });
    this.children.add(child);
    for (const wake of this.spawned.splice(0)) wake();
    return child;
  }

  /** Keeps N children: a dead one is replaced, unless the pool is closing (a retired one already was). */
  private replace(gone: Child): void {
    if (!this.children.delete(gone) || this.closing) return;
    if (this.children.size < this.concurrency) {
      this.recycled++;
      if (gone.isReady) this.spawn();
      else this.respawnLater(gone);
    }
    this.dispatch();
  }

  /**
   * It died before it was ready (say, a syntax error saved since the pool started): try again
   * after a pause rather than forking in a tight loop; meanwhile tasks wait for a child.
   */
  private respawnLater(gone: Child): void {
    const why = gone.loadError
      ? `a prefork child could not load ${this.appPath}: ${gone.loadError.stack ?? `${gone.loadError.name}: ${gone.loadError.message}`}`
      : gone.unreadyEnd(this.appPath);
    this.options.log?.error(`${why}; starting another in ${RESPAWN_DELAY_MS / 1000} s`);
    const timer = setTimeout(() => {
      this.respawns.delete(timer);
      this.spawn();
    }, RESPAWN_DELAY_MS);
    this.respawns.add(timer);
  }

  run(invocation: Invocation, signal?: AbortSignal): Promise<ExecutionOutcome> {
    if (this.closing) return Promise.resolve(closedOutcome(this.kind));
    const outcome = this.shortTasks.enqueue(this.backlog, invocation, signal);
    this.dispatch();
    return this.inFlight.track(outcome);
  }

  /** Hands the backlog, in order, to idle children, and short tasks also to busy ones with room. */
  private dispatch(): void {
    while (this.backlog.length && !this.closing) {
      const child = this.placeFor(this.backlog[0].invocation);
      if (!child) return;
      child.give(this.backlog.shift()!);
    }
  }

  /** An idle ready child; for a short task, one running short tasks with room; else an idle child still loading (it runs the task once ready). */
  private placeFor(invocation: Invocation): Child | undefined {
    const short = this.pipelines && this.shortTasks.queues(invocation);
    let behind: Child | undefined;
    let loading: Child | undefined;
    for (const child of this.children) {
      if (child.exited) continue;
      if (!child.isReady) {
        if (!child.load) loading ??= child;
        continue;
      }
      if (!child.load) return child;
      if (short && child.load <= PIPELINE_DEPTH && (!behind || child.load < behind.load) && child.takesMore(this.shortTasks)) behind = child;
    }
    return behind ?? loading;
  }

  private recycleIfDue(child: Child, rssBytes: number | undefined): void {
    const { maxTasksPerChild, maxMemoryPerChild } = this.options;
    const overMemory = maxMemoryPerChild !== undefined && rssBytes !== undefined && rssBytes > maxMemoryPerChild * 1024 * 1024;
    if ((maxTasksPerChild !== undefined && child.tasks >= maxTasksPerChild) || overMemory) {
      if (overMemory) this.options.log?.info(`prefork child ${child.process.pid} uses ${Math.round(rssBytes! / 1048576)} MB (maxMemoryPerChild ${maxMemoryPerChild} MB): replacing it`);
      // Replaced at once, so no task is handed to a child on its way out.
      this.children.delete(child);
      child.retire();
      this.recycled++;
      if (this.children.size < this.concurrency) this.spawn();
    }
  }

  abort(id: string, reason: Error, terminate: boolean): boolean {
    const waiting = this.backlog.findIndex((task) => task.invocation.id === id);
    if (waiting >= 0) {
      const [task] = this.backlog.splice(waiting, 1);
      task.resolve(revokedOutcome(reason.message));
      return true;
    }
    for (const child of this.children) {
      const held = child.holds(id);
      if (!held) continue;
      if (terminate && held.running) child.kill('revoked');
      else child.abort(id, reason.message);
      return true;
    }
    return false;
  }

  async close({ graceful }: { graceful: boolean }): Promise<void> {
    if (this.closing) return;
    this.closing = graceful ? 'graceful' : 'cold';
    for (const task of this.backlog.splice(0)) task.resolve(closedOutcome(this.kind));
    for (const wake of this.spawned.splice(0)) wake();
    for (const timer of this.respawns) clearTimeout(timer);
    if (graceful) await this.inFlight.drain();
    const exits = [...this.children].map((child) => new Promise((done) => {
      if (child.process.exitCode !== null || child.process.signalCode !== null) done(undefined);
      else child.process.once('exit', done);
    }));
    for (const child of this.children) {
      if (graceful) child.retire();
      else child.kill('cold');
    }
    await Promise.all(exits);
  }
}
