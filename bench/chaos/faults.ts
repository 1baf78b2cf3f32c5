// The faults `npm run chaos` injects, one at a time, each undone before the next (a killed worker
// restarted, Redis back): what the run checks is that nothing is lost or stuck across them.
import { setTimeout as sleep } from 'node:timers/promises';
import { childrenOf, processState, type DurableRedis, type WorkerProcess } from './cluster.ts';

export const FAULTS = ['child-kill', 'worker-kill', 'worker-term', 'redis-kill', 'redis-cut', 'redis-stall'] as const;
export type Fault = typeof FAULTS[number];

/** mulberry32: the run's random choices, the same for the same --seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Target {
  workers: WorkerProcess[];
  redis?: DurableRedis;
}

export class Injector {
  readonly counts: Partial<Record<Fault, number>> = {};
  /** Warm shutdowns that did not end within the grace period and were turned into kills. */
  termTimeouts = 0;
  private order: Fault[] = [];

  constructor(private readonly random: () => number, private readonly target: Target, private readonly log: (line: string) => void) {}

  private pick<T>(items: T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private between(lowMs: number, highMs: number): number {
    return Math.round(lowMs + this.random() * (highMs - lowMs));
  }

  /**
   * The next fault that applies now: every kind in turn, in a seeded order, so a short run with
   * as many faults as kinds still has each of them.
   */
  private next(): Fault | undefined {
    const kinds = FAULTS.filter((kind) => this.target.redis || !kind.startsWith('redis-'));
    for (let tries = 0; tries < kinds.length; tries++) {
      if (!this.order.length) {
        this.order = [...kinds];
        for (let i = this.order.length - 1; i > 0; i--) {
          const j = Math.floor(this.random() * (i + 1));
          [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
        }
      }
      const kind = this.order.shift()!;
      if (kind !== 'child-kill' || this.preforkChildren().length) return kind;
      this.order.push(kind); // Children still starting: later.
    }
    return undefined;
  }

  private preforkChildren(): Array<{ worker: WorkerProcess; pid: number }> {
    return this.target.workers
      .filter((w) => w.spec.pool === 'prefork' && w.running)
      .flatMap((worker) => childrenOf(worker.pid).map((pid) => ({ worker, pid })));
  }

  /** A prefork child, preferably one running a task (on a CPU: the chaos tasks spin), waiting up to a second for one. */
  private async busyChild(): Promise<{ worker: WorkerProcess; pid: number }> {
    for (let tries = 0; tries < 20; tries++) {
      const busy = this.preforkChildren().filter(({ pid }) => processState(pid) === 'R');
      if (busy.length) return this.pick(busy);
      await sleep(50);
    }
    return this.pick(this.preforkChildren());
  }

  /** Injects one fault and undoes it; resolves once the system is whole again. */
  async inject(): Promise<void> {
    const kind = this.next();
    if (!kind) return;
    const running = this.target.workers.filter((w) => w.running);
    const redis = this.target.redis!;
    switch (kind) {
      case 'child-kill': {
        const { worker, pid } = await this.busyChild();
        this.log(`SIGKILL prefork child ${pid} of ${worker.broker}/${worker.spec.name}`);
        process.kill(pid, 'SIGKILL');
        break;
      }
      case 'worker-kill': {
        const worker = this.pick(running);
        this.log(`SIGKILL worker ${worker.broker}/${worker.spec.name}`);
        worker.signal('SIGKILL');
        await worker.exited;
        await sleep(this.between(200, 1500));
        worker.start();
        break;
      }
      case 'worker-term': {
        const worker = this.pick(running);
        this.log(`SIGTERM worker ${worker.broker}/${worker.spec.name} (warm shutdown), then start it again`);
        if (!(await worker.stop(30_000))) {
          this.termTimeouts++;
          this.log(`${worker.broker}/${worker.spec.name} did not finish its warm shutdown within 30 s: killed`);
        }
        worker.start();
        break;
      }
      case 'redis-kill': {
        const downMs = this.between(300, 2000);
        this.log(`SIGKILL redis-server, restarted from its AOF after ${downMs} ms`);
        await redis.crash(downMs);
        break;
      }
      case 'redis-cut': {
        const downMs = this.between(500, 3000);
        this.log(`workers' Redis connections cut, new ones refused for ${downMs} ms`);
        redis.proxy.cut();
        await sleep(downMs);
        redis.proxy.restore();
        break;
      }
      case 'redis-stall': {
        const stallMs = this.between(500, 4000);
        this.log(`workers' Redis connections stalled for ${stallMs} ms`);
        redis.proxy.stall();
        await sleep(stallMs);
        redis.proxy.resume();
        break;
      }
    }
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }
}
