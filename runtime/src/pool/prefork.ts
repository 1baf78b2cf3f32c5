// prefork: N child processes (child_process.fork), each importing the app once and running one
// task at a time: CPU-bound work that wants isolation (non-thread-safe native modules, leaks,
// crashes). Hard time limit: SIGKILL the child and fork a replacement. A child that dies mid-task
// is reported as crash 'died' and replaced. maxTasksPerChild / maxMemoryPerChild (rss after a
// task) recycle the child between tasks.
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { defaultConcurrency } from './defaults.ts';
import { childEntry, childLoaderFlags } from './entries.ts';
import { closedOutcome, failedOutcome } from './outcome.ts';
import type { ProgressSink } from '../context.ts';
import type { PoolStats, SerializedError } from '../protocol.ts';
import type { ExecutionOutcome, Invocation, Pool, PoolOptions } from './pool.ts';
import type { ChildMessage, ParentMessage } from './prefork-protocol.ts';
import { Slots } from './slots.ts';
import { InFlight } from './in-flight.ts';

const RESPAWN_DELAY_MS = 1000;

// Children inherit execArgv and NODE_OPTIONS (js-debug's bootloader when debugging), except the
// parent's own inspector flags: every child would fight over its port, and a child paused by
// --inspect-brk would never serve. Each child listens on a free port (0) instead.
function childExecArgv(): string[] {
  const inherited = process.execArgv.map((arg) => arg
    .replace(/^--inspect(?:-brk|-wait)?(?:=.*)?$/, '--inspect=0')
    .replace(/^--inspect-port=.*$/, '--inspect-port=0'));
  const hasTsx = inherited.some((arg) => arg === 'tsx' || /[\\/]tsx[\\/]/.test(arg));
  return hasTsx ? inherited : [...inherited, ...childLoaderFlags];
}

class Child {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  tasks = 0;
  busy = false;
  isReady = false;
  exited = false;
  /** Why the app module did not load, when the child said so before it exited. */
  loadError?: SerializedError;
  /** How it ended: "SIGKILL" or "exit code 1". */
  ending?: string;
  /** Set while a task runs: how its end is reported. */
  private pending?: { resolve: (outcome: ExecutionOutcome) => void; invocation: Invocation; startedAt: number; killedFor?: 'time-limit' | 'cold' | 'revoked' };
  private onRss?: (rssBytes: number) => void;

  constructor(appPath: string, onExit: (child: Child) => void, onProgress: ProgressSink | undefined) {
    this.process = fork(childEntry, [appPath], { execArgv: childExecArgv(), stdio: 'inherit', serialization: 'advanced' });
    this.ready = new Promise<void>((ready, failed) => {
      this.process.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') {
          this.isReady = true;
          ready();
        }
        else if (message.type === 'load-failed') {
          // Leaving: no task may be handed to it between this message and its exit.
          this.exited = true;
          this.loadError = message.error;
          failed(new Error(`the app module failed to load in a prefork child: ${message.error.stack ?? message.error.message}`));
        } else if (message.type === 'started' && this.pending) this.pending.startedAt = message.startedAt;
        else if (message.type === 'progress') onProgress?.(message.id, message.progress);
        else if (message.type === 'outcome' && this.pending) {
          const { resolve: done } = this.pending;
          this.pending = undefined;
          this.onRss?.(message.rssBytes);
          done(message.outcome);
        }
      });
      this.process.on('exit', (code, signal) => {
        this.exited = true;
        this.ending = signal ?? `exit code ${code}`;
        failed(new Error(this.unreadyEnd(appPath)));
        this.settleDeath(this.ending);
        onExit(this);
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

  run(invocation: Invocation, signal: AbortSignal | undefined, onRss: (rssBytes: number) => void): Promise<ExecutionOutcome> {
    this.busy = true;
    this.onRss = onRss;
    let hardTimer: NodeJS.Timeout | undefined;
    const forward = () => this.abort(String((signal?.reason as Error | undefined)?.message ?? signal?.reason ?? 'aborted'));
    const outcome = new Promise<ExecutionOutcome>((done) => {
      this.pending = { resolve: done, invocation, startedAt: Date.now() };
      this.send({ type: 'run', invocation });
      if (invocation.timeLimitMs !== undefined) hardTimer = setTimeout(() => this.kill('time-limit'), invocation.timeLimitMs);
      if (signal?.aborted) forward();
      else signal?.addEventListener('abort', forward, { once: true });
    });
    return outcome.finally(() => {
      clearTimeout(hardTimer);
      signal?.removeEventListener('abort', forward);
      this.tasks++;
      this.busy = false;
    });
  }

  /** Whether task `id` runs in this child now. */
  runs(id: string): boolean {
    return this.pending?.invocation.id === id;
  }

  /** Fires the running task's signal in the child. */
  abort(reason: string): void {
    this.send({ type: 'abort', reason });
  }

  kill(reason: 'time-limit' | 'cold' | 'revoked'): void {
    if (this.pending) this.pending.killedFor = reason;
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

  private settleDeath(how: string): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    const { invocation, startedAt, killedFor } = pending;
    const where = { startedAt, pid: this.process.pid ?? 0, threadId: 0 };
    if (killedFor === 'revoked') {
      pending.resolve(failedOutcome({ name: 'TaskRevoked', message: `task ${invocation.task} was revoked with terminate: its child process was killed and replaced` }, where, 'died'));
    } else if (killedFor === 'time-limit') {
      pending.resolve(failedOutcome({ name: 'TimeLimitExceeded', message: `task ${invocation.task} exceeded its hard time limit (${invocation.timeLimitMs} ms): its child process was killed and replaced` }, where, 'time-limit'));
    } else {
      const why = killedFor === 'cold' ? 'the pool was closed (cold shutdown)' : `the child process ended (${how}) and was replaced`;
      pending.resolve(failedOutcome({ name: 'WorkerDied', message: `the prefork child running task ${invocation.task} died: ${why}` }, where, 'died'));
    }
  }
}

export class PreforkPool implements Pool {
  readonly kind = 'prefork';
  private readonly slots: Slots;
  /** Children replaced (recycled, died, killed at the hard limit). */
  private recycled = 0;
  private readonly appPath: string;
  private readonly children = new Set<Child>();
  private readonly inFlight = new InFlight();
  private readonly spawned: Array<() => void> = [];
  private readonly respawns = new Set<NodeJS.Timeout>();
  private closing: 'graceful' | 'cold' | undefined;

  constructor(private readonly options: PoolOptions) {
    this.slots = new Slots(options.concurrency ?? defaultConcurrency('prefork'));
    this.appPath = resolve(options.appPath!);
  }

  get concurrency(): number {
    return this.slots.size;
  }

  /** Grows by forking children now; shrinks by retiring idle ones, and busy ones as they finish. */
  async resize(size: number): Promise<void> {
    for (let i = this.children.size; i < size; i++) this.spawn();
    this.slots.resize(size);
    this.retireSurplus();
  }

  stats(): PoolStats {
    return { size: this.concurrency, processes: [...this.children].map((child) => child.process.pid ?? 0), recycled: this.recycled };
  }

  private retireSurplus(): void {
    for (const child of this.children) {
      if (this.children.size <= this.concurrency) return;
      if (child.busy || child.exited) continue;
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
    const child = new Child(this.appPath, (gone) => {
      // Keep N children: a dead one is replaced, unless the pool is closing (a retired one already was).
      if (!this.children.delete(gone) || this.closing || this.children.size >= this.concurrency) return;
      this.recycled++;
      if (gone.isReady) {
        this.spawn();
        return;
      }
      // It died before it was ready (say, a syntax error saved since the pool started): try again
      // after a pause rather than forking in a tight loop; meanwhile tasks wait for a child.
      const why = gone.loadError
        ? `a prefork child could not load ${this.appPath}: ${gone.loadError.stack ?? `${gone.loadError.name}: ${gone.loadError.message}`}`
        : gone.unreadyEnd(this.appPath);
      this.options.log?.error(`${why}; starting another in ${RESPAWN_DELAY_MS / 1000} s`);
      const timer = setTimeout(() => {
        this.respawns.delete(timer);
        this.spawn();
      }, RESPAWN_DELAY_MS);
      this.respawns.add(timer);
    }, this.options.onProgress);
    this.children.add(child);
    for (const wake of this.spawned.splice(0)) wake();
    return child;
  }

  /** A child not busy and not leaving, preferring one already ready; waits while all are being replaced. */
  private async freeChild(): Promise<Child | undefined> {
    for (;;) {
      if (this.closing) return undefined;
      const free = [...this.children].filter((child) => !child.busy && !child.exited);
      const child = free.find((candidate) => candidate.isReady) ?? free[0];
      if (child) {
        // Claimed before returning: two tasks given slots in the same tick must not pick one child.
        child.busy = true;
        return child;
      }
      await new Promise<void>((wake) => this.spawned.push(wake));
    }
  }

  run(invocation: Invocation, signal?: AbortSignal): Promise<ExecutionOutcome> {
    return this.inFlight.track(this.execute(invocation, signal));
  }

  private async execute(invocation: Invocation, signal?: AbortSignal): Promise<ExecutionOutcome> {
    await this.slots.acquire();
    try {
      const child = await this.freeChild();
      if (!child) return closedOutcome(this.kind);
      child.busy = true;
      try {
        await child.ready;
      } catch (error) {
        child.busy = false;
        return failedOutcome({ name: 'WorkerDied', message: (error as Error).message }, { startedAt: Date.now(), pid: child.process.pid ?? 0, threadId: 0 }, 'died');
      }
      return await child.run(invocation, signal, (rssBytes) => this.recycleIfDue(child, rssBytes));
    } finally {
      this.slots.release();
      this.retireSurplus();
    }
  }

  private recycleIfDue(child: Child, rssBytes: number): void {
    const { maxTasksPerChild, maxMemoryPerChild } = this.options;
    const tasks = child.tasks + 1;
    const overMemory = maxMemoryPerChild !== undefined && rssBytes > maxMemoryPerChild * 1024 * 1024;
    if ((maxTasksPerChild !== undefined && tasks >= maxTasksPerChild) || overMemory) {
      if (overMemory) this.options.log?.info(`prefork child ${child.process.pid} uses ${Math.round(rssBytes / 1048576)} MB (maxMemoryPerChild ${maxMemoryPerChild} MB): replacing it`);
      // Replaced at once, so no task is handed to a child on its way out.
      this.children.delete(child);
      child.retire();
      this.recycled++;
      if (this.children.size < this.concurrency) this.spawn();
    }
  }

  abort(id: string, reason: Error, terminate: boolean): boolean {
    const child = [...this.children].find((candidate) => candidate.runs(id));
    if (!child) return false;
    if (terminate) child.kill('revoked');
    else child.abort(reason.message);
    return true;
  }

  async close({ graceful }: { graceful: boolean }): Promise<void> {
    if (this.closing) return;
    this.closing = graceful ? 'graceful' : 'cold';
    this.slots.flush();
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
