// The real parts `npm run chaos` breaks: worker processes started through the CLI, and a
// redis-server with appendonly on, reached by the workers through a proxy that can cut or stall
// their connections.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { PoolKind } from 'tasklane/contract';
import { startProxy, type TcpProxy } from '../../test/helpers/proxy.ts';
import { freePort, spawnRedis, type RedisServer } from '../../test/helpers/redis.ts';

const bin = fileURLToPath(new URL('../../runtime/bin/tasklane.mjs', import.meta.url));
export const APP = fileURLToPath(new URL('./app.ts', import.meta.url));

export interface WorkerSpec {
  name: string;
  pool: PoolKind;
  concurrency: number;
  queues: string[];
}

/** The fields of /proc/<pid>/stat after "(comm)": state, ppid, … (throws once the process is gone). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The process ids whose parent is `pid` (a prefork worker's children). */
export function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(Number(entry))[1]) === pid) found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** A process's state letter (R running, S sleeping…), "" once it is gone. */
export function processState(pid: number): string {
  try {
    return statFields(pid)[0];
  } catch {
    return '';
  }
}

/** Resident memory of a process in bytes (0 once it is gone). */
export function rssOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * One worker of the config, run by `tasklane worker <name>` in its own process and started again
 * whenever the run wants it back. An exit nobody asked for is counted as a crash, and the worker
 * started again a second later, as a supervisor would.
 */
export class WorkerProcess {
  child: ChildProcess | undefined;
  exited: Promise<void> = Promise.resolve();
  crashes: string[] = [];
  private expectingExit = false;
  private retired = false;

  constructor(readonly spec: WorkerSpec, readonly broker: string, private readonly dir: string, private readonly log: number) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number {
    return this.child!.pid!;
  }

  start(): void {
    this.expectingExit = false;
    // --conditions: the app's `import 'tasklane'` is then the very runtime the CLI runs (the sources).
    const child = spawn(process.execPath, ['--conditions=tasklane-source', bin, 'worker', this.spec.name, '--loglevel', 'warn'], {
      cwd: this.dir, stdio: ['ignore', this.log, this.log], env: { ...process.env, TASKLANE_CONFIG: '', TASKLANE_BROKER: '' },
    });
    this.child = child;
    this.exited = once(child, 'exit').then(([code, signal]) => {
      if (this.expectingExit) return;
      this.crashes.push(`${this.broker}/${this.spec.name}: ${signal ?? `exit code ${code}`}`);
      setTimeout(() => { if (!this.retired && !this.running) this.start(); }, 1000);
    });
  }

  /** Sends `signal` (a fault: the exit that follows is no crash). */
  signal(signal: NodeJS.Signals): void {
    this.expectingExit = true;
    this.child?.kill(signal);
  }

  /** The end of the run: stopped for good. */
  retire(graceMs: number): Promise<boolean> {
    this.retired = true;
    return this.stop(graceMs);
  }

  /** Warm shutdown, turned into a kill if it takes longer than `graceMs`; true when it was warm. */
  async stop(graceMs: number): Promise<boolean> {
    if (!this.running) return true;
    this.signal('SIGTERM');
    const warm = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!warm) {
      this.signal('SIGKILL');
      await this.exited;
    }
    return warm;
  }
}

/** The workers of one broker: a tasklane.config.json in `dir` naming the app and the workers. */
export function writeConfig(dir: string, broker: string, specs: WorkerSpec[], resultTtl: string): void {
  mkdirSync(dir, { recursive: true });
  const workers = Object.fromEntries(specs.map(({ name, pool, concurrency, queues }) => [name, { pool, concurrency, queues }]));
  writeFileSync(join(dir, 'tasklane.config.json'), JSON.stringify({ app: APP, broker, resultTtl, workers }, null, 2));
}

export function startWorkers(dir: string, brokerName: string, specs: WorkerSpec[]): WorkerProcess[] {
  const log = openSync(join(dir, 'workers.log'), 'a');
  return specs.map((spec) => {
    const worker = new WorkerProcess(spec, brokerName, dir, log);
    worker.start();
    return worker;
  });
}

/**
 * redis-server with appendonly on (every write in the AOF before its reply goes out, so a SIGKILL
 * loses nothing acknowledged), restartable on the same port and files. `proxy` is the workers'
 * way in; producers and the run's own looks go straight to `port`.
 */
export class DurableRedis {
  private constructor(readonly dir: string, readonly port: number, private server: RedisServer, readonly proxy: TcpProxy) {}

  static async start(dir: string): Promise<DurableRedis> {
    mkdirSync(dir, { recursive: true });
    const port = await freePort();
    const server = await spawnRedis(dir, port, DurableRedis.args(dir, port));
    return new DurableRedis(dir, port, server, await startProxy(port));
  }

  private static args(dir: string, port: number): string[] {
    return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir, '--loglevel', 'warning'];
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get proxiedUrl(): string {
    return `redis://127.0.0.1:${this.proxy.port}`;
  }

  get pid(): number {
    return this.server.process.pid!;
  }

  /** SIGKILL, down for `downMs`, then started again from its AOF. */
  async crash(downMs: number): Promise<void> {
    const exited = once(this.server.process, 'exit');
    this.server.process.kill('SIGKILL');
    await exited;
    await sleep(downMs);
    this.server = await spawnRedis(this.dir, this.port, DurableRedis.args(this.dir, this.port));
  }

  async stop(): Promise<void> {
    await this.proxy.close();
    await this.server.stop();
  }
}
