// The small IPC protocol between the bench and a worker process it forked (BullMQ or Tasklane):
// the worker is ready (connected, not consuming) → `expect n` (optionally starting consumption)
// is acknowledged, then answered with `done` after n more completions and the ms elapsed since the
// request (measured in the worker, so the bench's own event loop does not skew it) → `pause`
// stops it starting tasks until the next `expect … start`: a warm worker, then a burst enqueued
// first and drained.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

type ToWorker = { type: 'expect'; n: number; start: boolean } | { type: 'pause' } | { type: 'close' };
type FromWorker = { type: 'ready' } | { type: 'expecting' } | { type: 'paused' } | { type: 'progress'; finished: number }
  | { type: 'done'; ms: number; cpuMs: number; failed: number; firstError?: string; memory: MemoryPeak };

/**
 * The worker process's memory when the count was armed (a paused, warm worker) and its peak while
 * counting (sampled every MEMORY_SAMPLE_MS): the peak less the base, over the tasks in flight at
 * once, is the memory per in-flight task. `fileBacked*`: the part of rss mapped from files (Linux),
 * at the base and at the rss peak: on the embedded broker, the pages of its store that it read.
 */
export interface MemoryPeak {
  rssBase: number;
  rssPeak: number;
  heapBase: number;
  heapPeak: number;
  fileBackedBase?: number;
  fileBackedAtPeak?: number;
}

const MEMORY_SAMPLE_MS = 100;

export interface BenchWorkerHooks {
  /** Start (or resume) taking tasks. */
  start(): void;
  /** Stop starting tasks; resolves when no task runs. */
  pause(): Promise<void>;
  /** Registers the function to call once per finished task, with the error of a failed one. */
  onCompleted(count: (error?: string) => void): void;
  close(): Promise<void>;
}

/** Worker side: announce readiness and answer the bench. */
export function serveBench(hooks: BenchWorkerHooks): void {
  let remaining = 0;
  let since = 0;
  let cpuSince = process.cpuUsage();
  let failed = 0;
  let finished = 0;
  let firstError: string | undefined;
  let memory: MemoryPeak | undefined;
  const sampleMemory = () => {
    if (!memory || remaining === 0) return;
    const { rss, heapUsed } = process.memoryUsage();
    if (rss > memory.rssPeak) {
      memory.rssPeak = rss;
      memory.fileBackedAtPeak = fileBackedBytes();
    }
    memory.heapPeak = Math.max(memory.heapPeak, heapUsed);
  };
  const sampler = setInterval(sampleMemory, MEMORY_SAMPLE_MS);
  sampler.unref();
  // While counting, a heartbeat of progress lets the bench tell a slow drain from a stuck one.
  const heartbeat = setInterval(() => { if (remaining > 0) send({ type: 'progress', finished }); }, PROGRESS_MS);
  heartbeat.unref();
  hooks.onCompleted((error) => {
    if (remaining === 0) return;
    finished++;
    if (error !== undefined && failed++ === 0) firstError = error;
    if (remaining === 1) sampleMemory();
    if (--remaining > 0) return;
    const cpu = process.cpuUsage(cpuSince);
    send({ type: 'done', ms: performance.now() - since, cpuMs: (cpu.user + cpu.system) / 1000, failed, firstError, memory: memory! });
  });
  process.on('message', async (message: ToWorker) => {
    if (message.type === 'expect') {
      remaining = message.n;
      since = performance.now();
      cpuSince = process.cpuUsage();
      failed = 0;
      finished = 0;
      firstError = undefined;
      const { rss, heapUsed } = process.memoryUsage();
      const fileBacked = fileBackedBytes();
      memory = { rssBase: rss, rssPeak: rss, heapBase: heapUsed, heapPeak: heapUsed, fileBackedBase: fileBacked, fileBackedAtPeak: fileBacked };
      if (message.start) hooks.start();
      send({ type: 'expecting' });
    } else if (message.type === 'pause') {
      await hooks.pause();
      send({ type: 'paused' });
    } else if (message.type === 'close') {
      await hooks.close();
      process.disconnect();
    }
  });
  send({ type: 'ready' });
}

/** Resident memory mapped from files (RssFile), where /proc has it. */
function fileBackedBytes(): number | undefined {
  try {
    const kb = /^RssFile:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

function send(message: FromWorker): void {
  process.send!(message);
}

const PROGRESS_MS = 1000;
/** A count with no task finished for this long is stuck, not slow. */
const STALL_MS = 60_000;
const CLOSE_MS = 30_000;

let profileDir: string | undefined;

/** Worker processes forked from now on write a V8 CPU profile (.cpuprofile) into dir. */
export function profileWorkersInto(dir: string): void {
  profileDir = dir;
}

/** Bench side: a forked worker process. */
export class BenchWorker {
  private constructor(private readonly child: ChildProcess) {}

  static async fork(script: string, config: unknown): Promise<BenchWorker> {
    const execArgv = ['--import', 'tsx', '--conditions=tasklane-source', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
    // stdout carries the bench's JSON lines: the worker's output goes to stderr.
    const child = fork(script, [JSON.stringify(config)], { execArgv, stdio: ['ignore', 2, 2, 'ipc'] });
    const worker = new BenchWorker(child);
    await worker.next('ready');
    return worker;
  }

  /**
   * Arms a count of n completions (and starts consuming if asked); resolves once the worker is
   * counting, with a promise of the worker-measured ms until the n-th completion and the worker
   * process's CPU time meanwhile (all its threads; not prefork children, which are processes of
   * their own) and its memory (MemoryPeak); rejected if any of the n failed (a bench of failing tasks measures nothing) or
   * if none finished for a minute.
   */
  async expect(n: number, options: { start?: boolean } = {}): Promise<{ done: Promise<{ ms: number; cpuMs: number; memory: MemoryPeak }> }> {
    const expecting = this.next('expecting');
    let finished = 0;
    let lastChange = Date.now();
    const onProgress = (message: FromWorker) => {
      if (message.type !== 'progress' || message.finished === finished) return;
      finished = message.finished;
      lastChange = Date.now();
    };
    this.child.on('message', onProgress);
    let watchdog: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      watchdog = setInterval(() => {
        if (Date.now() - lastChange < STALL_MS) return;
        reject(new Error(`stalled: ${finished} of ${n} tasks finished, none in the last ${STALL_MS / 1000} s (pid ${this.child.pid})`));
      }, PROGRESS_MS);
    });
    const counted = this.next('done').then(({ ms, cpuMs, failed, firstError, memory }) => {
      if (failed) throw new Error(`${failed} of ${n} tasks failed, the first with: ${firstError}`);
      return { ms, cpuMs, memory };
    });
    const done = Promise.race([counted, stalled]).finally(() => {
      clearInterval(watchdog);
      this.child.off('message', onProgress);
    });
    done.catch(() => {}); // observed by the caller; never an unhandled rejection meanwhile
    this.child.send({ type: 'expect', n, start: options.start ?? false } satisfies ToWorker);
    await expecting;
    return { done };
  }

  /** Stops the worker starting tasks (they stay queued) until the next expect(…, { start: true }). */
  async pause(): Promise<void> {
    const paused = this.next('paused');
    this.child.send({ type: 'pause' } satisfies ToWorker);
    await paused;
  }

  /** Warm stop; a worker that has not exited after CLOSE_MS (a task stuck in it) is killed. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => {
      process.stderr.write(`[bench] worker ${this.child.pid} did not stop within ${CLOSE_MS / 1000} s: killing it\n`);
      this.child.kill('SIGKILL');
    }, CLOSE_MS);
    await exited;
    clearTimeout(timer);
  }


  private next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type !== type) return;
        cleanup();
        resolve(message as Extract<FromWorker, { type: T }>);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`bench worker exited (code ${code}) while the bench waited for "${type}"`));
      };
      const cleanup = () => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
    });
  }
}
