// What `npm run chaos` sent through one broker, and what became of each task: its result, its
// executions (the tasks' own log), and whether its message is still in the broker.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Broker } from 'tasklane/broker';
import { Store } from '../../runtime/src/broker/file-store.ts';
import type { TaskMessage, TaskResult } from 'tasklane/contract';

/** work: should succeed; fail: fails on purpose; poison: an unknown task, should be dead-lettered. */
export type Kind = 'work' | 'fail' | 'poison';

const EXPECTED: Record<Kind, string> = { work: 'SUCCESS', fail: 'FAILURE/ChaosError', poison: 'DEAD/UnknownTask' };

/** The ids of the task messages still in a broker (waiting, delayed or reserved). */
export type Inventory = () => Promise<Set<string>>;

function idOf(raw: string): string | undefined {
  try {
    return (JSON.parse(raw) as { id?: string }).id;
  } catch {
    return undefined;
  }
}

/** The embedded broker's queues, read from its store (waiting, delayed and reserved messages). */
export function fileInventory(brokerDir: string): Inventory {
  return async () => {
    const ids = new Set<string>();
    if (!existsSync(join(brokerDir, 'store.mdb'))) return ids;
    const store = new Store(join(brokerDir, 'store.mdb'), 'chaos');
    try {
      for (const queue of store.queues()) {
        for (const raw of store.payloads(queue)) {
          const id = idOf(raw);
          if (id) ids.add(id);
        }
      }
    } finally {
      await store.close();
    }
    return ids;
  };
}

/** A Redis broker's queues: each stream's entries (waiting and reserved: acks delete them) and delayed set. */
export function redisInventory(url: string, queues: string[], prefix = 'tasklane'): { inventory: Inventory; close: () => void } {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined); // Down during a fault: the next look tries again.
  const inventory: Inventory = async () => {
    const ids = new Set<string>();
    for (const queue of queues) {
      for (const [, fields] of await redis.xrange(`${prefix}:q:${queue}`, '-', '+')) {
        const id = idOf(fields[fields.indexOf('m') + 1] ?? '');
        if (id) ids.add(id);
      }
      for (const member of await redis.zrange(`${prefix}:d:${queue}`, '0', '-1')) {
        const id = idOf(member.slice(member.indexOf('\n') + 1));
        if (id) ids.add(id);
      }
    }
    return ids;
  };
  return { inventory, close: () => redis.disconnect() };
}

export interface Account {
  sent: number;
  succeeded: number;
  failed: Record<string, number>;
  deadLettered: Record<string, number>;
  /** Sent, no result, and not in the broker: gone. */
  lost: number;
  /** Still in the broker once the run has settled: nobody will run it (or it would have). */
  stranded: number;
  /** An outcome other than the one its kind expects (e.g. a work task that failed). */
  unexpected: Record<string, number>;
  executions: number;
  /** Extra executions of the same attempt of a task (at least once: allowed, counted). */
  duplicates: number;
  /** Executions that were retries (a prefork child killed under the task, then run again). */
  retries: number;
  /** Publishes tried again after an error (a broker down): each may have enqueued twice. */
  publishRetries: number;
  /** A few ids of lost or stranded tasks, to look into. */
  examples: { lost: string[]; stranded: string[] };
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export class Ledger {
  readonly sent = new Map<string, Kind>();
  private publishRetries = 0;
  private readonly results = new Map<string, TaskResult>();

  constructor(private readonly broker: Broker, private readonly executionLog: string, private readonly inventory: Inventory) {}

  /** Publishes until the broker takes it, as a producer that must not drop a task would. */
  async publish(message: TaskMessage, kind: Kind): Promise<void> {
    this.sent.set(message.id, kind);
    for (;;) {
      try {
        await this.broker.publish(message);
        return;
      } catch {
        this.publishRetries++;
        await sleep(500);
      }
    }
  }

  private async collect(): Promise<void> {
    const missing = [...this.sent.keys()].filter((id) => !this.results.has(id));
    for (let i = 0; i < missing.length; i += 200) {
      const found = await Promise.all(missing.slice(i, i + 200).map((id) => this.broker.getResult(id)));
      for (const result of found) if (result) this.results.set(result.id, result);
    }
  }

  /**
   * Waits until every task has a result and the broker holds no message, or until nothing has
   * changed for `quietMs` (what is left then stays), at most `capMs`. Looks that fail (the broker
   * restarting) count as no change.
   */
  async settle(quietMs: number, capMs: number, progress: (line: string) => void): Promise<void> {
    const started = Date.now();
    let lastChange = started;
    let last = '';
    while (Date.now() - started < capMs && Date.now() - lastChange < quietMs) {
      try {
        await this.collect();
        const left = (await this.inventory()).size;
        const state = `${this.sent.size - this.results.size} without a result, ${left} message(s) in the broker`;
        if (state !== last) {
          progress(state);
          last = state;
          lastChange = Date.now();
        }
        if (this.results.size === this.sent.size && left === 0) return;
      } catch (error) {
        progress(`look failed: ${(error as Error).message}`);
      }
      await sleep(1000);
    }
  }

  async account(): Promise<Account> {
    await this.collect();
    const inBroker = await this.inventory();
    const dead = new Set((await this.broker.deadLetters(100_000)).map((letter) => idOf(letter.raw)));
    const executed = new Map<string, number>();
    const log = existsSync(this.executionLog) ? readFileSync(this.executionLog, 'utf8') : '';
    for (const line of log.split('\n')) if (line) executed.set(line, (executed.get(line) ?? 0) + 1);
    const account: Account = {
      sent: this.sent.size, succeeded: 0, failed: {}, deadLettered: {}, lost: 0, stranded: 0, unexpected: {},
      executions: 0, duplicates: 0, retries: 0, publishRetries: this.publishRetries, examples: { lost: [], stranded: [] },
    };
    for (const [attempt, times] of executed) {
      account.executions += times;
      account.duplicates += times - 1;
      if (!attempt.endsWith(' 0')) account.retries++;
    }
    for (const [id, kind] of this.sent) {
      const result = this.results.get(id);
      if (inBroker.has(id)) {
        account.stranded++;
        if (account.examples.stranded.length < 5) account.examples.stranded.push(id);
      }
      let outcome: string;
      if (!result) {
        if (!inBroker.has(id)) {
          account.lost++;
          if (account.examples.lost.length < 5) account.examples.lost.push(id);
        }
        continue;
      } else if (dead.has(id)) {
        bump(account.deadLettered, result.error?.name ?? '?');
        outcome = `DEAD/${result.error?.name}`;
      } else if (result.state === 'SUCCESS') {
        account.succeeded++;
        outcome = 'SUCCESS';
      } else {
        bump(account.failed, result.error?.name ?? result.state);
        outcome = `${result.state}/${result.error?.name}`;
      }
      if (outcome !== EXPECTED[kind]) bump(account.unexpected, `${kind}: ${outcome}`);
    }
    return account;
  }
}
