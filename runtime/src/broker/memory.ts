// memory:// — queues, results and events in this process's memory. Brokers created with the
// same name (memory://<name>, default "default") share one store, so a producer and a worker in
// one process see the same queues. Nothing survives the process.
import { EventEmitter } from 'node:events';
import { keepRecent } from '../measured.ts';
import type { ControlMessage, DeadLetter, Revocation, RunCost, TaskEvent, TaskMessage, TaskResult, TaskRuns, WorkerInfo } from '../protocol.ts';
import type { Broker, BrokerOptions, Delivery, FetchOptions } from './broker.ts';
import { Codec } from './codec.ts';
import { Heap } from './heap.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_VISIBILITY_TIMEOUT_MS, DEAD_LETTER_CAP } from './defaults.ts';
import { Wakeup } from './wakeup.ts';

interface Entry {
  queue: string;
  raw: string;
  priority: number;
  /** Arrival order, kept across redeliveries so a returned message keeps its place. */
  seq: number;
  /** Deliveries so far. */
  deliveries: number;
  eta: number;
}

interface Lease {
  entry: Entry;
  deadline: number;
}

class Queue {
  readonly ready = new Heap<Entry>((a, b) => a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq);
  readonly delayed = new Heap<Entry>((a, b) => a.eta < b.eta);

  /** Moves messages whose eta has come into the ready heap. */
  promote(now: number): void {
    for (let e = this.delayed.peek(); e && e.eta <= now; e = this.delayed.peek()) this.ready.push(this.delayed.pop()!);
  }
}

/** One named in-process store; every memory:// broker of that name is a view of it. */
class Store {
  readonly queues = new Map<string, Queue>();
  readonly leases = new Map<string, Lease>();
  /** No lease expires before this (a lower bound: extend only moves deadlines later). */
  private nextExpiry = Infinity;
  readonly results = new Map<string, { result: TaskResult; expiresAt: number }>();
  readonly resultWaiters = new Map<string, Wakeup>();
  readonly workers = new Map<string, { info: WorkerInfo; expiresAt: number }>();
  /** Each task's recent runs, newest first. */
  readonly measured = new Map<string, RunCost[]>();
  readonly revocations = new Map<string, number>();
  readonly ticks = new Map<string, number>();
  readonly deadLetters: DeadLetter[] = [];
  readonly events = new EventEmitter().setMaxListeners(0);
  readonly arrivals = new Wakeup();
  seq = 0;
  private nextResultSweep = 0;

  queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) this.queues.set(name, (q = new Queue()));
    return q;
  }

  lease(receipt: string, entry: Entry, deadline: number): void {
    this.leases.set(receipt, { entry, deadline });
    if (deadline < this.nextExpiry) this.nextExpiry = deadline;
  }

  /** Returns expired leases to their queue; a redelivery then counts one more delivery. */
  expireLeases(now: number): void {
    // Every fetch calls this: scan the leases only when one may have expired.
    if (now < this.nextExpiry) return;
    let returned = false;
    let next = Infinity;
    for (const [receipt, lease] of this.leases) {
      if (lease.deadline > now) {
        next = Math.min(next, lease.deadline);
        continue;
      }
      this.leases.delete(receipt);
      this.queue(lease.entry.queue).ready.push(lease.entry);
      returned = true;
    }
    this.nextExpiry = next;
    if (returned) this.arrivals.wake();
  }

  /** The earliest moment something (a delayed message, an expired lease) may become ready. */
  nextChange(queues: string[]): number {
    let next = Infinity;
    for (const name of queues) next = Math.min(next, this.queues.get(name)?.delayed.peek()?.eta ?? Infinity);
    next = Math.min(next, this.nextExpiry);
    return next;
  }

  sweepResults(now: number): void {
    if (now < this.nextResultSweep) return;
    this.nextResultSweep = now + 10_000;
    for (const [id, r] of this.results) if (r.expiresAt <= now) this.results.delete(id);
  }
}

const STORES_KEY = Symbol.for('tasklane.memoryBrokers');
const stores: Map<string, Store> = ((globalThis as Record<symbol, unknown>)[STORES_KEY] as Map<string, Store> | undefined)
  ?? ((globalThis as Record<symbol, unknown>)[STORES_KEY] = new Map<string, Store>());

export class MemoryBroker implements Broker {
  readonly displayUrl: string;
  private readonly store: Store;
  private readonly visibilityTimeoutMs: number;
  private readonly codec: Codec;

  constructor(name: string, options: BrokerOptions = {}) {
    this.displayUrl = `memory://${name}`;
    this.codec = new Codec(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, this.displayUrl);
    let store = stores.get(name);
    if (!store) stores.set(name, (store = new Store()));
    this.store = store;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? DEFAULT_VISIBILITY_TIMEOUT_MS;
  }

  async connect(): Promise<void> {}

  /** The store is shared with the other brokers of this name, so closing one leaves it intact. */
  async close(): Promise<void> {}

  async publish(message: TaskMessage): Promise<void> {
    this.enqueue(message.queue, this.codec.encode(message), message.priority ?? 0, message.eta ?? 0);
  }

  async publishRaw(queue: string, raw: string): Promise<void> {
    this.enqueue(queue, raw, 0, 0);
  }

  private enqueue(queue: string, raw: string, priority: number, eta: number): void {
    const entry: Entry = { queue, raw, priority, eta, seq: this.store.seq++, deliveries: 0 };
    const q = this.store.queue(queue);
    if (eta > Date.now()) {
      q.delayed.push(entry);
      // A fetch already waiting must recompute how long to sleep.
      this.store.arrivals.wake();
    } else {
      q.ready.push(entry);
      this.store.arrivals.wake();
    }
  }

  async fetch(queues: string[], max: number, options: FetchOptions): Promise<Delivery[]> {
    if (max <= 0 || !queues.length) return [];
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      const now = Date.now();
      this.store.expireLeases(now);
      const deliveries = this.take(queues, max, now);
      if (deliveries.length || now >= deadline || options.signal?.aborted) return deliveries;
      const until = Math.min(deadline, this.store.nextChange(queues));
      await this.store.arrivals.wait(until - now, options.signal);
    }
  }

  private take(queues: string[], max: number, now: number): Delivery[] {
    const out: Delivery[] = [];
    for (const name of queues) {
      const q = this.store.queues.get(name);
      if (!q) continue;
      q.promote(now);
      while (out.length < max && q.ready.size) {
        const entry = q.ready.pop()!;
        entry.deliveries++;
        const receipt = `${entry.seq}.${entry.deliveries}`;
        this.store.lease(receipt, entry, now + this.visibilityTimeoutMs);
        out.push({ queue: name, raw: entry.raw, ...this.codec.decode(entry.raw), deliveryCount: entry.deliveries, receipt });
      }
    }
    return out;
  }

  async ack(deliveries: Delivery[]): Promise<void> {
    for (const d of deliveries) this.store.leases.delete(d.receipt);
  }

  async release(deliveries: Delivery[]): Promise<void> {
    for (const d of deliveries) {
      const lease = this.store.leases.get(d.receipt);
      if (!lease) continue;
      this.store.leases.delete(d.receipt);
      lease.entry.deliveries--; // never started: not a delivery
      this.store.queue(d.queue).ready.push(lease.entry);
    }
    this.store.arrivals.wake();
  }

  async extend(deliveries: Delivery[]): Promise<void> {
    const deadline = Date.now() + this.visibilityTimeoutMs;
    for (const d of deliveries) {
      const lease = this.store.leases.get(d.receipt);
      if (lease) lease.deadline = deadline;
    }
  }

  async deadLetter(delivery: Delivery, reason: string): Promise<void> {
    const letters = this.store.deadLetters;
    letters.push({ queue: delivery.queue, raw: delivery.raw, reason, ts: Date.now() });
    if (letters.length > DEAD_LETTER_CAP) letters.splice(0, letters.length - DEAD_LETTER_CAP);
    await this.ack([delivery]);
  }

  async deadLetters(limit = 100): Promise<DeadLetter[]> {
    return this.store.deadLetters.slice(-limit).reverse();
  }

  async purge(queues: string[]): Promise<number> {
    let n = 0;
    for (const name of queues) {
      const q = this.store.queues.get(name);
      if (q) n += q.ready.clear() + q.delayed.clear();
    }
    return n;
  }

  async queueLengths(queues: string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of queues) {
      const q = this.store.queues.get(name);
      out[name] = q ? q.ready.size + q.delayed.size : 0;
    }
    return out;
  }

  async holds(queues: string[], id: string): Promise<boolean> {
    const has = (entry: Entry) => this.codec.decode(entry.raw).message?.id === id;
    for (const name of queues) {
      const q = this.store.queues.get(name);
      if (q && (q.ready.all().some(has) || q.delayed.all().some(has))) return true;
    }
    return [...this.store.leases.values()].some((lease) => queues.includes(lease.entry.queue) && has(lease.entry));
  }

  async revoke(revocation: Revocation, ttlMs: number): Promise<void> {
    this.store.revocations.set(revocation.id, Date.now() + ttlMs);
    this.store.events.emit('revoke', revocation);
  }

  async revoked(ids: string[]): Promise<Set<string>> {
    const now = Date.now();
    const out = new Set<string>();
    for (const id of ids) {
      const expiresAt = this.store.revocations.get(id);
      if (expiresAt === undefined) continue;
      if (expiresAt > now) out.add(id);
      else this.store.revocations.delete(id);
    }
    return out;
  }

  async watchRevocations(listener: (revocation: Revocation) => void): Promise<() => Promise<void>> {
    return this.listen('revoke', listener);
  }

  async lastTick(schedule: string): Promise<number | undefined> {
    return this.store.ticks.get(schedule);
  }

  async advanceTick(schedule: string, from: number | undefined, to: number, message?: TaskMessage): Promise<boolean> {
    const raw = message && this.codec.encode(message);
    if (this.store.ticks.get(schedule) !== from) return false;
    this.store.ticks.set(schedule, to);
    if (message) this.enqueue(message.queue, raw!, message.priority ?? 0, 0);
    return true;
  }

  async storeResult(result: TaskResult, ttlMs: number): Promise<void> {
    const now = Date.now();
    this.store.sweepResults(now);
    this.store.results.set(result.id, { result, expiresAt: now + ttlMs });
    this.store.resultWaiters.get(result.id)?.wake();
  }

  async getResult(id: string): Promise<TaskResult | undefined> {
    return this.lookup(id);
  }

  private lookup(id: string): TaskResult | undefined {
    const r = this.store.results.get(id);
    if (!r) return undefined;
    if (r.expiresAt > Date.now()) return r.result;
    this.store.results.delete(id);
    return undefined;
  }

  async waitForResult(id: string, timeoutMs: number, signal?: AbortSignal): Promise<TaskResult | undefined> {
    // Look and park with no await in between: a result stored in that gap would wake nobody.
    const found = this.lookup(id);
    if (found || timeoutMs <= 0) return found;
    let waiters = this.store.resultWaiters.get(id);
    if (!waiters) this.store.resultWaiters.set(id, (waiters = new Wakeup()));
    try {
      await waiters.wait(timeoutMs, signal);
    } finally {
      if (waiters.waiting === 0) this.store.resultWaiters.delete(id);
    }
    return this.lookup(id);
  }

  async emit(event: TaskEvent): Promise<void> {
    this.store.events.emit('event', event);
  }

  async subscribe(listener: (event: TaskEvent) => void): Promise<() => Promise<void>> {
    return this.listen('event', listener);
  }

  async control(message: ControlMessage): Promise<void> {
    this.store.events.emit('control', message);
  }

  async onControl(listener: (message: ControlMessage) => void): Promise<() => Promise<void>> {
    return this.listen('control', listener);
  }

  /** Listens on one of the store's channels until the returned function is called. */
  private listen<T>(channel: string, listener: (value: T) => void): () => Promise<void> {
    this.store.events.on(channel, listener);
    return async () => {
      this.store.events.off(channel, listener);
    };
  }

  async recordRuns(batch: TaskRuns[]): Promise<void> {
    for (const { task, runs } of batch) this.store.measured.set(task, keepRecent(this.store.measured.get(task) ?? [], runs));
  }

  async measuredRuns(): Promise<TaskRuns[]> {
    return [...this.store.measured].map(([task, runs]) => ({ task, runs: [...runs] }));
  }

  async setWorker(info: WorkerInfo, ttlMs: number): Promise<void> {
    this.store.workers.set(info.name, { info, expiresAt: Date.now() + ttlMs });
  }

  async removeWorker(name: string): Promise<void> {
    this.store.workers.delete(name);
  }

  async workers(): Promise<WorkerInfo[]> {
    const now = Date.now();
    const live: WorkerInfo[] = [];
    for (const [name, w] of this.store.workers) {
      if (w.expiresAt > now) live.push(w.info);
      else this.store.workers.delete(name);
    }
    return live;
  }
}
