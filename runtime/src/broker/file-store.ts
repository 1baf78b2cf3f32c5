// The embedded broker's store: one LMDB environment (the `lmdb` package) in the broker's folder,
// shared by every process on the machine. Each state change is one LMDB transaction, so a process
// SIGKILLed at any point loses nothing (at-least-once), and one killed while holding the write
// lock is recovered by LMDB's robust mutex. noSync: commits survive any process's crash (the
// kernel has the pages), not a power loss, as with the rename-per-step store before it.
// Tables (string keys sort byte-wise; <q> is the queue as a path segment, so it holds no \x01):
//   ready     <q>\x01<base>                   → { raw, n }   n: deliveries so far
//   delayed   <q>\x01<eta>-<base>             → { raw, n }
//   reserved  <q>\x01<base>                   → { raw, n, owner, deadline, token }
//   results   <id>                            → { expiresAt, result }
//   expiries  <expiresAt>\x01<id>             → 1            the order in which results (and flows) expire
//   flows     <id> | <chord id>\x01<index>     → expiresAt    a workflow step sent, a chord member counted
//   ticks     <schedule>                      → epoch ms     a periodic task's last tick
//   measured  <task>                          → RunCost[]    its newest runs, newest first (no expiry)
// <base> (file-names.ts) sorts by priority, then age. Freed pages are reused: the file is as
// large as the most the store ever held at once, not as all it ever held.
// The gate (<store>-gate, an environment that never holds data): its write lock is held by every
// write transaction on the store and while the store opens or closes. The LMDB inside lmdb (every
// release to 3.5.6) lacks upstream's ITS#9496 fix: opening the environment sets the lock file's
// last transaction id from the header read when the open began, so a commit another process made
// meanwhile was overwritten by the next writer (a message lost without a trace, or a commit failing
// with "mdb_page_touch no parent"). And the last process to close destroys the lock file's mutexes
// (ITS#10095), which one opening meanwhile would go on using. Opening the gate itself is safe: it
// never commits, so its transaction id never moves; it is never closed (gateAt).
import { statSync } from 'node:fs';
import { ABORT, open, type Database, type RootDatabase } from 'lmdb';
import { keepRecent } from '../measured.ts';
import type { RunCost, TaskResult, TaskRuns } from '../protocol.ts';
import { baseName, segment } from './file-names.ts';

export interface Waiting { raw: string; n: number }
export interface Lease extends Waiting { owner: string; deadline: number; token: string }
export interface Claimed { receipt: string; raw: string; n: number }
interface StoredResult { expiresAt: number; result: TaskResult }
/** A write waiting for this turn's commit; `result`: whether it stores a result (else it enqueues). */
interface PendingWrite { write: () => void; result: boolean; resolve: () => void; reject: (error: unknown) => void }
/** Told after each commit of a turn's writes: whether it enqueued messages, whether it stored results. */
export type OnCommit = (enqueued: boolean, stored: boolean) => void;

const SEP = '\x01';
/** Marks a flows key in the expiry index (task ids hold no \x02). */
const FLOW = '\x02';
const ETA_DIGITS = 13;
const pad = (ms: number) => String(Math.round(ms)).padStart(ETA_DIGITS, '0');
/** The keys of one queue in a table: from "<q>\x01" up to (not including) "<q>\x02". */
const range = (queue: string) => ({ start: `${segment(queue)}${SEP}`, end: `${segment(queue)}\x02` });
/** A receipt: the reservation's key and its token (a lease taken over by another consumer has another token). */
const receiptOf = (key: string, token: string) => `${token}${SEP}${key}`;
function parseReceipt(receipt: string): { key: string; token: string } | undefined {
  const at = receipt.indexOf(SEP);
  return at > 0 ? { token: receipt.slice(0, at), key: receipt.slice(at + 1) } : undefined;
}

/** Where the gate of the store at `path` is (see the top of this file). */
export const gatePath = (path: string) => `${path}-gate`;

/**
 * The gates this process has open, by path, never closed (lmdb's close, in the last process to
 * hold an environment, destroys its lock file's mutexes under any process opening it meanwhile;
 * a process that exits without closing leaves them whole). A store opened again in the folder
 * then waits on the gate only, as lmdb's open of an environment is a write transaction on it.
 */
const gates = new Map<string, { gate: RootDatabase; ino: number }>();

function gateAt(path: string): RootDatabase {
  const known = gates.get(path);
  // A folder removed and made again has a new gate: the one this process holds guards nothing there.
  if (known && statSync(path, { throwIfNoEntry: false })?.ino === known.ino) return known.gate;
  const gate = open({ path, noSync: true });
  gates.set(path, { gate, ino: statSync(path).ino });
  return gate;
}

export class Store {
  private readonly gate: RootDatabase;
  private readonly root: RootDatabase;
  private readonly ready: Database<Waiting, string>;
  private readonly delayed: Database<Waiting, string>;
  private readonly reserved: Database<Lease, string>;
  private readonly results: Database<StoredResult, string>;
  private readonly expiries: Database<number, string>;
  private readonly flows: Database<number, string>;
  private readonly ticks: Database<number, string>;
  private readonly measured: Database<RunCost[], string>;
  private seq = 0;
  private pending: PendingWrite[] = [];

  constructor(path: string, private readonly tag: string, private readonly onCommit: OnCommit = () => undefined) {
    this.gate = gateAt(gatePath(path));
    this.root = this.gated(() => open({ path, noSync: true }));
    // Opening a table the first time creates it: a commit like any other.
    const table = <V>(name: string) => this.gated(() => this.root.openDB<V, string>({ name }));
    this.ready = table('ready');
    this.delayed = table('delayed');
    this.reserved = table('reserved');
    this.results = table('results');
    this.expiries = table('expiries');
    this.flows = table('flows');
    this.ticks = table('ticks');
    this.measured = table('measured');
  }

  close(): Promise<void> {
    if (this.pending.length) this.commit();
    return this.gated(() => this.root.close());
  }

  /** Runs `fn` holding the gate: no other process opens, closes or writes to the store meanwhile. */
  private gated<T>(fn: () => T): T {
    let out!: T;
    this.gate.transactionSync(() => {
      out = fn();
      return ABORT; // nothing to commit: the gate's transaction id stays as it is
    });
    return out;
  }

  /** One write transaction on the store, through the gate. */
  private write<T>(fn: () => T): T {
    return this.gated(() => this.root.transactionSync(fn));
  }

  /** Reads see the snapshot of their transaction, which lmdb renews only a timer later: another process's commit is seen after this. */
  private fresh(): void {
    this.root.resetReadTxn();
  }

  /**
   * Enqueues; commits with the other writes of this turn. `n`: deliveries so far, `base`: the order
   * key (file-names.ts), both given only when carrying a message over.
   */
  put(queue: string, raw: string, { priority = 0, eta = 0, n = 0, base }: { priority?: number; eta?: number; n?: number; base?: string }): Promise<void> {
    const key = base ?? baseName(priority, Date.now(), this.seq++, this.tag);
    const q = segment(queue);
    return this.later(false, eta > Date.now()
      ? () => this.delayed.putSync(`${q}${SEP}${pad(eta)}-${key}`, { raw, n })
      : () => this.ready.putSync(`${q}${SEP}${key}`, { raw, n }));
  }

  /**
   * A workflow's step, enqueued unless one with its id was before (until `expiresAt`): the mark and
   * the message in one transaction, so a parent run twice sends it once. Returns whether it was sent.
   */
  putOnce(id: string, queue: string, raw: string, { priority = 0, eta = 0 }: { priority?: number; eta?: number }, expiresAt: number): boolean {
    return this.write(() => this.putOnceInTxn(id, queue, raw, priority, eta, expiresAt));
  }

  /**
   * Counts chord member `index` once; when it makes `size`, sends the callback (once, as putOnce).
   * One transaction: members finishing at once in several processes count each other.
   */
  joinChord(chord: { id: string; index: number; size: number }, callback: { id: string; queue: string; raw: string; priority?: number }, expiresAt: number): void {
    this.write(() => {
      const member = `${chord.id}${SEP}${chord.index}`;
      if (this.flows.get(member) === undefined) this.mark(member, expiresAt);
      let counted = 0;
      for (const _ of this.flows.getKeys({ start: `${chord.id}${SEP}`, end: `${chord.id}\x02` })) counted++;
      if (counted >= chord.size) this.putOnceInTxn(callback.id, callback.queue, callback.raw, callback.priority ?? 0, 0, expiresAt);
    });
  }

  lastTick(schedule: string): number | undefined {
    this.fresh();
    return this.ticks.get(schedule);
  }

  /**
   * Moves the schedule's last tick from `from` (undefined: none yet) to `to`, and enqueues the tick's
   * task, in one transaction: of several schedulers exactly one wins, and a crash sends both or neither.
   */
  advanceTick(schedule: string, from: number | undefined, to: number, task?: { queue: string; raw: string; priority?: number }): boolean {
    return this.write(() => {
      if (this.ticks.get(schedule) !== from) return false;
      this.ticks.putSync(schedule, to);
      if (task) this.ready.putSync(`${segment(task.queue)}${SEP}${baseName(task.priority ?? 0, Date.now(), this.seq++, this.tag)}`, { raw: task.raw, n: 0 });
      return true;
    });
  }

  private putOnceInTxn(id: string, queue: string, raw: string, priority: number, eta: number, expiresAt: number): boolean {
    if ((this.flows.get(id) ?? 0) > Date.now()) return false;
    this.mark(id, expiresAt);
    const key = baseName(priority, Date.now(), this.seq++, this.tag);
    const q = segment(queue);
    if (eta > Date.now()) this.delayed.putSync(`${q}${SEP}${pad(eta)}-${key}`, { raw, n: 0 });
    else this.ready.putSync(`${q}${SEP}${key}`, { raw, n: 0 });
    return true;
  }

  private mark(key: string, expiresAt: number): void {
    this.flows.putSync(key, expiresAt);
    this.expiries.putSync(`${pad(expiresAt)}${SEP}${FLOW}${key}`, 1);
  }

  /** Adds runs to each task's window, in one transaction: writers in several processes lose none of each other's. */
  recordRuns(batch: TaskRuns[]): void {
    this.write(() => {
      for (const { task, runs } of batch) this.measured.putSync(task, keepRecent(this.measured.get(task) ?? [], runs));
    });
  }

  measuredRuns(): TaskRuns[] {
    this.fresh();
    return [...this.measured.getRange()].map(({ key, value }) => ({ task: key, runs: value }));
  }

  /** Whether the queue has a ready message (a read: no write lock for a consumer that finds nothing). */
  hasReady(queue: string): boolean {
    this.fresh();
    for (const _ of this.ready.getKeys({ ...range(queue), limit: 1 })) return true;
    return false;
  }

  /** Reserves up to `max` ready messages of the queue to `owner` until `deadline`. */
  claim(queue: string, max: number, owner: string, deadline: number): Claimed[] {
    return this.write(() => {
      const found = [...this.ready.getRange({ ...range(queue), limit: max })];
      return found.map(({ key, value }) => {
        const token = `${this.tag}${(this.seq++).toString(36)}`;
        const n = value.n + 1;
        this.ready.removeSync(key);
        this.reserved.putSync(key, { raw: value.raw, n, owner, deadline, token });
        return { receipt: receiptOf(key, token), raw: value.raw, n };
      });
    });
  }

  /** The reservation a receipt names, if it is still the one that receipt was given for (not returned and re-claimed since). */
  private leaseOf(receipt: string): { key: string; lease: Lease } | undefined {
    const parsed = parseReceipt(receipt);
    const lease = parsed && this.reserved.get(parsed.key);
    return lease && lease.token === parsed.token ? { key: parsed.key, lease } : undefined;
  }

  /** Deletes the reservations (gone: the lease expired and the message went back: it runs again, at-least-once). */
  ack(receipts: string[]): void {
    this.write(() => this.ackIn(receipts));
  }

  private ackIn(receipts: string[]): void {
    for (const receipt of receipts) {
      const held = this.leaseOf(receipt);
      if (held) this.reserved.removeSync(held.key);
    }
  }

  /** Stores a result, and acks `receipt` in the same transaction when given; commits with the other writes of this turn. */
  storeResult(result: TaskResult, ttlMs: number, receipt?: string): Promise<void> {
    const expiresAt = Date.now() + ttlMs;
    return this.later(true, () => {
      // A result stored again leaves its earlier expiry entry: the sweep drops only a result whose
      // own expiresAt passed, so that entry goes alone (no read of the earlier result per store).
      this.results.putSync(result.id, { expiresAt, result });
      this.expiries.putSync(`${pad(expiresAt)}${SEP}${result.id}`, 1);
      if (receipt) this.ackIn([receipt]);
    });
  }

  /**
   * Queues a write for the commit at the end of this turn: the writes of a turn commit in one
   * transaction (a commit costs more than the writes in it), each still whole or not at all.
   * Resolves once committed.
   */
  private later(result: boolean, write: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.pending.length) setImmediate(() => this.commit());
      this.pending.push({ write, result, resolve, reject });
    });
  }

  private commit(): void {
    const batch = this.pending;
    if (!batch.length) return; // committed by close()
    this.pending = [];
    try {
      // Synchronous, on this thread: lmdb's asynchronous writes commit on its write thread and
      // resolve a hop later (a round trip's publish took 80-100 µs that way, 12 µs this way).
      this.write(() => {
        for (const { write } of batch) write();
      });
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    this.onCommit(batch.some((w) => !w.result), batch.some((w) => w.result));
    for (const { resolve } of batch) resolve();
  }

  getResult(id: string): TaskResult | undefined {
    this.fresh();
    const stored = this.results.get(id);
    return stored && stored.expiresAt > Date.now() ? stored.result : undefined;
  }

  /** Drops up to `max` results expired by `now`; returns how many. */
  dropExpired(now: number, max: number): number {
    return this.write(() => {
      const due = [...this.expiries.getKeys({ end: `${pad(now)}\x02`, limit: max })];
      for (const key of due) {
        this.expiries.removeSync(key);
        const id = key.slice(key.indexOf(SEP) + 1);
        if (id.startsWith(FLOW)) {
          const flow = id.slice(FLOW.length);
          if ((this.flows.get(flow) ?? Infinity) <= now) this.flows.removeSync(flow);
        } else if ((this.results.get(id)?.expiresAt ?? Infinity) <= now) this.results.removeSync(id);
      }
      return due.length;
    });
  }

  /** Gives reservations back (unstarted: their delivery does not count). */
  release(receipts: string[]): void {
    this.write(() => {
      for (const receipt of receipts) {
        const held = this.leaseOf(receipt);
        if (!held) continue;
        this.reserved.removeSync(held.key);
        this.ready.putSync(held.key, { raw: held.lease.raw, n: held.lease.n - 1 });
      }
    });
  }

  /** Moves the leases' deadline; false for a receipt no longer held (it will be delivered again). */
  extend(receipts: string[], deadline: number): void {
    this.write(() => {
      for (const receipt of receipts) {
        const held = this.leaseOf(receipt);
        if (held) this.reserved.putSync(held.key, { ...held.lease, deadline });
      }
    });
  }

  /** Returns to ready what was held past its deadline or by an owner that `alive` says is gone. */
  sweep(queue: string, now: number, alive: (owner: string) => boolean): number {
    this.fresh();
    const lapsed = [...this.reserved.getRange(range(queue))].filter(({ value }) => value.deadline <= now || !alive(value.owner));
    if (!lapsed.length) return 0;
    return this.write(() => {
      let returned = 0;
      for (const { key, value } of lapsed) {
        // Only if unchanged since the read (not acked, extended or already returned by another sweeper).
        if (this.reserved.get(key)?.token !== value.token) continue;
        this.reserved.removeSync(key);
        this.ready.putSync(key, { raw: value.raw, n: value.n });
        returned++;
      }
      return returned;
    });
  }

  /** Moves the queue's due delayed messages to ready; returns the next eta (Infinity: none). */
  promote(queue: string, now: number): number {
    this.fresh();
    const r = range(queue);
    const etaOf = (key: string) => Number(key.slice(r.start.length, r.start.length + ETA_DIGITS));
    const [first] = this.delayed.getKeys({ ...r, limit: 1 });
    if (first === undefined) return Infinity;
    if (etaOf(first) > now) return etaOf(first);
    return this.write(() => {
      for (const { key, value } of [...this.delayed.getRange(r)]) {
        if (etaOf(key) > now) return etaOf(key);
        this.delayed.removeSync(key);
        this.ready.putSync(`${r.start}${key.slice(r.start.length + ETA_DIGITS + 1)}`, value);
      }
      return Infinity;
    });
  }

  /** Drops the queue's waiting (ready and delayed) messages; returns how many. */
  purge(queue: string): number {
    return this.write(() => {
      let purged = 0;
      for (const table of [this.ready, this.delayed]) {
        for (const key of [...table.getKeys(range(queue))]) {
          table.removeSync(key);
          purged++;
        }
      }
      return purged;
    });
  }

  /** Waiting (ready and delayed) messages of the queue. */
  length(queue: string): number {
    this.fresh();
    return this.ready.getCount(range(queue)) + this.delayed.getCount(range(queue));
  }

  /** Reserved (fetched, unacked) messages of the queue. */
  reservedCount(queue: string): number {
    this.fresh();
    return this.reserved.getCount(range(queue));
  }

  /** The payloads of the queue's waiting and reserved messages (a scan: for commands and tools). */
  *payloads(queue: string): Generator<string> {
    this.fresh();
    for (const table of [this.ready, this.delayed, this.reserved] as Database<Waiting, string>[]) {
      for (const { value } of table.getRange(range(queue))) yield value.raw;
    }
  }

  /** The queues that hold messages, ready, delayed or reserved (for tools). */
  queues(): Set<string> {
    this.fresh();
    const names = new Set<string>();
    for (const table of [this.ready, this.delayed, this.reserved] as Database<Waiting, string>[]) {
      for (const key of table.getKeys()) names.add(decodeURIComponent(key.slice(0, key.indexOf(SEP))));
    }
    return names;
  }

  /** Clears the reader slots of dead processes: a slot left by a SIGKILLed reader would keep old pages from reuse. */
  readerCheck(): void {
    this.root.readerCheck();
  }
}
