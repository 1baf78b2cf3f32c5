// file://<dir> — the embedded broker: several processes on one machine share a directory, no
// server. Messages and results live in an LMDB store in the folder (file-store.ts): every state
// change is one transaction, so a process SIGKILLed at any point loses nothing (at-least-once).
//   publish  = a put into ready (or delayed until its eta), committed with the other puts of the turn;
//   fetch    = one transaction moves messages from ready to reserved, with the owner (pid, start
//              time) and the lease deadline;
//   ack      = the reservation is deleted (storeResultAndAck: with the result, in one transaction);
//   release  = moved back;
//   sweeper  = any consumer, every second or so, moves back to ready the leases whose deadline
//              passed or whose owner process is gone, and due delayed messages.
// Waking other processes: after a commit the writer rewrites a byte of queues.wake or
// results.wake, which the waiting processes watch (inotify); a short poll covers what a watch misses.
// Rare things stay plain files: revocations, dead letters, worker snapshots, the event and
// control logs (JSON lines, tailed by subscribers such as the editor's Runs view), and who
// subscribes to events (file-listeners.ts: workers write task events only while someone does).
// Process crashes are survived; power loss is not (no fsync, for speed).
import {
  appendFileSync, closeSync, openSync, readdirSync, renameSync, rmSync, statSync, utimesSync, watch, writeFileSync, writeSync, type FSWatcher,
} from 'node:fs';
import { appendFile, mkdir, open, readdir, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ControlMessage, DeadLetter, Revocation, TaskEvent, TaskMessage, TaskResult, TaskRuns, WorkerInfo } from '../protocol.ts';
import type { Broker, BrokerOptions, ChordMember, Delivery, FetchOptions } from './broker.ts';
import { Codec } from './codec.ts';
import { DEAD_LETTER_CAP, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_VISIBILITY_TIMEOUT_MS } from './defaults.ts';
import { segment } from './file-names.ts';
import { Listeners } from './file-listeners.ts';
import { migrateOldFolder } from './file-migrate.ts';
import { ownerAlive, SELF } from './file-owner.ts';
import { Store } from './file-store.ts';
import { Wakeup } from './wakeup.ts';

/** How many times its own duration apart lease sweeps are, at least. */
const SWEEP_SPACING = 50;
/** How often waiting parties look even without a watch event (fs.watch can miss events on some filesystems). */
const POLL_MS = 500;
const EVENT_LOG_MAX_BYTES = 8 * 1024 * 1024;
const HOUSEKEEPING_MS = 60_000;
/** Files housekeeping looks at between turns of the event loop. */
const SWEEP_CHUNK = 500;
/** Expired results dropped per transaction (other writers wait for each). */
const EXPIRY_CHUNK = 1000;
/** How often the event log's size is checked for rotation. */
const ROTATION_CHECK_MS = 1000;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Renames; false when the source is gone (another process moved it first). */
function moved(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/** A file other processes watch: `poke` rewrites its one byte (an inotify event for each watcher). */
class WakeFile {
  private fd: number | undefined;
  constructor(readonly path: string) {}

  /** Right after the commit it announces: a watcher woken by it sees that commit. */
  poke(): void {
    try {
      this.fd ??= openSync(this.path, 'w');
      writeSync(this.fd, '1', 0);
    } catch {
      // The folder is gone (a test removed it): the poll still covers the waiters.
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export class FileBroker implements Broker {
  readonly displayUrl: string;
  private readonly root: string;
  private readonly visibilityTimeoutMs: number;
  private readonly codec: Codec;
  private readonly tag = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  private seq = 0;
  private store: Store | undefined;
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly queuesWake: WakeFile;
  private readonly resultsWake: WakeFile;
  private readonly listeners: Listeners;
  private readonly arrivals = new Wakeup();
  private readonly results = new Wakeup();
  private readonly rootChanged = new Wakeup();
  private readonly revocationsChanged = new Wakeup();
  /** Earliest eta among the delayed messages of each queue as last looked (Infinity: none): how long fetch may sleep. */
  private readonly nextEta = new Map<string, number>();
  private nextSweep = 0;
  private nextHousekeeping = 0;
  private sweeping: Promise<void> | undefined;
  private ready: Promise<void> | undefined;
  private closed = false;
  private eventBuffer: string[] = [];
  private eventWrites: Promise<void> = Promise.resolve();
  private nextRotationCheck = 0;
  private readonly subscriptions = new Set<() => Promise<void>>();
  private deadLetterCount = 0;
  private revokedNames: { mtime: bigint; names: Set<string> } = { mtime: -1n, names: new Set() };

  constructor(root: string, options: BrokerOptions = {}) {
    this.root = root;
    this.displayUrl = `file://${root}`;
    this.codec = new Codec(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, this.displayUrl);
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? DEFAULT_VISIBILITY_TIMEOUT_MS;
    this.queuesWake = new WakeFile(this.path('queues.wake'));
    this.resultsWake = new WakeFile(this.path('results.wake'));
    this.listeners = new Listeners(this.path('listeners'), this.tag);
  }

  private path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  connect(): Promise<void> {
    this.ready ??= (async () => {
      try {
        // A folder the broker creates holds only its own state: git ignores it without a rule from the user.
        if (await mkdir(this.root, { recursive: true }) !== undefined) writeFileSync(this.path('.gitignore'), '*\n');
        await Promise.all(['tmp', 'workers', 'dead', 'revoked', 'listeners'].map((d) => mkdir(this.path(d), { recursive: true })));
        for (const wake of [this.queuesWake, this.resultsWake]) await appendFile(wake.path, '');
        // The writes of a turn commit together; one poke per commit tells the other processes.
        this.store = new Store(this.path('store.mdb'), this.tag, (enqueued, stored) => {
          if (enqueued) this.queuesWake.poke();
          if (stored) this.resultsWake.poke();
        });
        await migrateOldFolder(this.root, this.store, this.tag);
      } catch (error) {
        this.ready = undefined;
        throw new Error(`cannot use the embedded broker directory ${this.root}: ${(error as Error).message}`);
      }
    })();
    return this.ready;
  }

  /** The store, once connected. */
  private async db(): Promise<Store> {
    await this.connect();
    return this.store!;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((unsubscribe) => unsubscribe()));
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    await this.eventWrites;
    await this.sweeping; // stops at its next chunk, as closed is set
    this.arrivals.wake();
    this.results.wake();
    this.rootChanged.wake();
    this.revocationsChanged.wake();
    await this.ready?.catch(() => undefined);
    // Commits this turn's writes (and pokes) before the files close.
    await this.store?.close();
    this.queuesWake.close();
    this.resultsWake.close();
  }

  /** Watches a file or directory, waking `wakeup` on every change (in a directory: of a file `only` accepts). */
  private watchPath(path: string, wakeup: Wakeup, only: (name: string) => boolean = () => true): void {
    if (this.closed || this.watchers.has(path)) return;
    try {
      const watcher = watch(path, { persistent: false }, (_, name) => {
        if (!name || only(name)) wakeup.wake();
      });
      watcher.on('error', () => { watcher.close(); this.watchers.delete(path); });
      this.watchers.set(path, watcher);
    } catch {
      // No watch on this filesystem: the poll interval still finds everything.
    }
  }

  async publish(message: TaskMessage): Promise<void> {
    await this.put(message.queue, this.codec.encode(message), message.priority ?? 0, message.eta ?? 0);
  }

  async publishRaw(queue: string, raw: string): Promise<void> {
    await this.put(queue, raw, 0, 0);
  }

  private async put(queue: string, raw: string, priority: number, eta: number): Promise<void> {
    await (await this.db()).put(queue, raw, { priority, eta });
  }

  async fetch(queues: string[], max: number, options: FetchOptions): Promise<Delivery[]> {
    if (max <= 0 || !queues.length) return [];
    const store = await this.db();
    this.watchPath(this.queuesWake.path, this.arrivals);
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      const seen = this.arrivals.generation;
      const now = Date.now();
      if (now >= this.nextSweep) {
        this.nextSweep = now + Math.min(1000, Math.max(50, this.visibilityTimeoutMs / 4));
        this.sweepLeases(store, queues, now);
        // A sweep reads every lease of its queues (20,000 held: 50-150 ms, the loop blocked): the
        // next one waits at least SWEEP_SPACING times as long, so sweeping stays a small share of the time.
        this.nextSweep = Math.max(this.nextSweep, Date.now() + SWEEP_SPACING * (Date.now() - now));
      }
      const out: Delivery[] = [];
      for (let i = 0; i < queues.length && out.length < max; i++) {
        // Every turn (a read when nothing is due): another process may have delayed a message.
        this.nextEta.set(queues[i], store.promote(queues[i], now));
        if (!store.hasReady(queues[i])) continue;
        const leaseDeadline = now + this.visibilityTimeoutMs;
        for (const claimed of store.claim(queues[i], max - out.length, SELF, leaseDeadline)) {
          out.push({ queue: queues[i], raw: claimed.raw, ...this.codec.decode(claimed.raw), deliveryCount: claimed.n, receipt: claimed.receipt });
        }
      }
      if (out.length) {
        // Before these tasks start: a subscriber that joined before they were sent hears their events.
        this.listeners.look(false);
        return out;
      }
      if (options.signal?.aborted || this.closed) return out;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return out;
      const nextEta = Math.min(...queues.map((q) => this.nextEta.get(q) ?? Infinity));
      await this.arrivals.wait(Math.min(remaining, POLL_MS, this.nextSweep - Date.now(), nextEta - Date.now()), options.signal, seen);
    }
  }

  /** Returns to ready what a dead process held or what was held past its lease. */
  private sweepLeases(store: Store, queues: string[], now: number): void {
    const owners = new Map<string, boolean>();
    const alive = (owner: string) => {
      let known = owners.get(owner);
      if (known === undefined) owners.set(owner, (known = owner === SELF || ownerAlive(owner)));
      return known;
    };
    for (const queue of queues) if (store.sweep(queue, now, alive)) this.queuesWake.poke();
  }

  async ack(deliveries: Delivery[]): Promise<void> {
    if (deliveries.length) (await this.db()).ack(deliveries.map((d) => d.receipt));
  }

  async release(deliveries: Delivery[]): Promise<void> {
    if (!deliveries.length) return;
    (await this.db()).release(deliveries.map((d) => d.receipt));
    this.arrivals.wake();
    this.queuesWake.poke();
  }

  async extend(deliveries: Delivery[]): Promise<void> {
    if (deliveries.length) (await this.db()).extend(deliveries.map((d) => d.receipt), Date.now() + this.visibilityTimeoutMs);
  }

  async deadLetter(delivery: Delivery, reason: string): Promise<void> {
    await this.connect();
    const letter: DeadLetter = { queue: delivery.queue, raw: delivery.raw, reason, ts: Date.now() };
    this.writeAtomic(this.path('dead', `${String(letter.ts).padStart(13, '0')}-${this.tag}-${(this.seq++).toString(36).padStart(8, '0')}`), JSON.stringify(letter));
    await this.ack([delivery]);
    // Trim now and then rather than on every letter: the cap is a bound, not an exact size.
    if (++this.deadLetterCount % 100 === 1) {
      const names = (await readdir(this.path('dead'))).sort();
      await Promise.all(names.slice(0, Math.max(0, names.length - DEAD_LETTER_CAP)).map((n) => unlink(this.path('dead', n)).catch(() => undefined)));
    }
  }

  async deadLetters(limit = 100): Promise<DeadLetter[]> {
    await this.connect();
    const names = (await readdir(this.path('dead'))).sort().reverse().slice(0, limit);
    const letters = await Promise.all(names.map((n) => readFile(this.path('dead', n), 'utf8').then((s) => JSON.parse(s) as DeadLetter, () => undefined)));
    return letters.filter((l): l is DeadLetter => l !== undefined);
  }

  async purge(queues: string[]): Promise<number> {
    const store = await this.db();
    return queues.reduce((sum, queue) => sum + store.purge(queue), 0);
  }

  async queueLengths(queues: string[]): Promise<Record<string, number>> {
    const store = await this.db();
    return Object.fromEntries(queues.map((queue) => [queue, store.length(queue)]));
  }

  async holds(queues: string[], id: string): Promise<boolean> {
    const store = await this.db();
    for (const queue of queues) {
      for (const raw of store.payloads(queue)) if (this.codec.decode(raw).message?.id === id) return true;
    }
    return false;
  }

  private revokedPath(id: string): string {
    return this.path('revoked', `${segment(id)}.json`);
  }

  async revoke(revocation: Revocation, ttlMs: number): Promise<void> {
    await this.connect();
    // The expiry is the file's mtime, as for results: revoked() and housekeeping need a stat only.
    this.writeAtomic(this.revokedPath(revocation.id), JSON.stringify(revocation), Date.now() + ttlMs);
  }

  async revoked(ids: string[]): Promise<Set<string>> {
    await this.connect();
    const now = Date.now();
    const out = new Set<string>();
    const listed = this.revokedListing();
    for (const id of ids) {
      if (!listed.has(`${segment(id)}.json`)) continue;
      if ((statSync(this.revokedPath(id), { throwIfNoEntry: false })?.mtimeMs ?? 0) > now) out.add(id);
    }
    return out;
  }

  /**
   * The names in revoked/, listed again only when the folder's mtime moved (a file added or
   * removed): one stat per fetched batch rather than one per task, as revocations are rare.
   */
  private revokedListing(): Set<string> {
    const mtime = statSync(this.path('revoked'), { bigint: true }).mtimeNs;
    if (mtime !== this.revokedNames.mtime) this.revokedNames = { mtime, names: new Set(readdirSync(this.path('revoked'))) };
    return this.revokedNames.names;
  }

  /** Watches revoked/ (and looks every POLL_MS): a new file, or one rewritten (a later revoke with terminate), is a revocation. */
  async watchRevocations(listener: (revocation: Revocation) => void): Promise<() => Promise<void>> {
    await this.connect();
    const dir = this.path('revoked');
    this.watchPath(dir, this.revocationsChanged);
    const seen = new Map<string, number>();
    const look = async (report: boolean) => {
      const names = await readdir(dir);
      for (const name of seen.keys()) if (!names.includes(name)) seen.delete(name);
      for (const name of names) {
        const mtime = (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs;
        if (mtime === undefined || seen.get(name) === mtime) continue;
        seen.set(name, mtime);
        const revocation = await readFile(join(dir, name), 'utf8').then((text) => JSON.parse(text) as Revocation, () => undefined);
        if (report && revocation && mtime > Date.now()) listener(revocation);
      }
    };
    await look(false);
    let stopped = false;
    const loop = (async () => {
      let generation = this.revocationsChanged.generation;
      while (!stopped && !this.closed) {
        await this.revocationsChanged.wait(POLL_MS, undefined, generation);
        if (stopped) break;
        generation = this.revocationsChanged.generation;
        // The folder changed under us (housekeeping): the next turn looks again.
        await look(true).catch(() => undefined);
      }
    })();
    const unsubscribe = async () => {
      if (stopped) return;
      stopped = true;
      this.subscriptions.delete(unsubscribe);
      this.revocationsChanged.wake();
      await loop;
    };
    this.subscriptions.add(unsubscribe);
    return unsubscribe;
  }

  /** The mark and the message in one store transaction (Store.putOnce): nothing to redo after a crash. */
  async publishOnce(message: TaskMessage, ttlMs: number): Promise<void> {
    const raw = this.codec.encode(message);
    if ((await this.db()).putOnce(message.id, message.queue, raw, { priority: message.priority, eta: message.eta }, Date.now() + ttlMs)) this.queuesWake.poke();
  }

  /** The member's count and, from the last one, the callback, in one store transaction (Store.joinChord). */
  async joinChord(chord: ChordMember, callback: TaskMessage, ttlMs: number): Promise<void> {
    const raw = this.codec.encode(callback);
    (await this.db()).joinChord(chord, { id: callback.id, queue: callback.queue, raw, priority: callback.priority }, Date.now() + ttlMs);
    this.queuesWake.poke();
  }

  async storeResult(result: TaskResult, ttlMs: number): Promise<void> {
    await (await this.db()).storeResult(result, ttlMs);
    this.housekeeping();
  }

  async lastTick(schedule: string): Promise<number | undefined> {
    return (await this.db()).lastTick(schedule);
  }

  /** The tick and its task in one store transaction (Store.advanceTick). */
  async advanceTick(schedule: string, from: number | undefined, to: number, message?: TaskMessage): Promise<boolean> {
    const task = message && { queue: message.queue, raw: this.codec.encode(message), priority: message.priority };
    const won = (await this.db()).advanceTick(schedule, from, to, task);
    if (won && task) this.queuesWake.poke();
    return won;
  }

  /** The result and the ack in one transaction: the ack never lands without the result. */
  async storeResultAndAck(result: TaskResult, ttlMs: number, delivery: Delivery): Promise<void> {
    await (await this.db()).storeResult(result, ttlMs, delivery.receipt);
    this.housekeeping();
  }

  async getResult(id: string): Promise<TaskResult | undefined> {
    return (await this.db()).getResult(id);
  }

  async waitForResult(id: string, timeoutMs: number, signal?: AbortSignal): Promise<TaskResult | undefined> {
    const store = await this.db();
    this.watchPath(this.resultsWake.path, this.results);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.results.generation;
      const found = store.getResult(id);
      const remaining = deadline - Date.now();
      if (found || remaining <= 0 || signal?.aborted || this.closed) return found;
      await this.results.wait(Math.min(remaining, POLL_MS), signal, seen);
    }
  }

  /**
   * Drops expired results and revocations and abandoned temp files, at most once a minute, in the
   * background: the store that starts it does not wait (a million expired results take seconds).
   */
  private housekeeping(): void {
    const now = Date.now();
    if (now < this.nextHousekeeping || this.sweeping) return;
    this.nextHousekeeping = now + HOUSEKEEPING_MS;
    this.sweeping = (async () => {
      // Not in the store's own turn: that store and its ack return first.
      await new Promise(setImmediate);
      const store = await this.db();
      store.readerCheck();
      // In chunks, a turn of the event loop between them: other writers wait for each transaction.
      while (!this.closed && store.dropExpired(now, EXPIRY_CHUNK) === EXPIRY_CHUNK) await new Promise(setImmediate);
      await this.drop(this.path('revoked'), (mtime) => mtime <= now);
      await this.drop(this.path('tmp'), (mtime) => mtime < now - HOUSEKEEPING_MS);
    })().catch(() => undefined).finally(() => { this.sweeping = undefined; });
  }

  private async drop(dir: string, expired: (mtimeMs: number) => boolean): Promise<void> {
    const names = await readdir(dir);
    for (let i = 0; i < names.length && !this.closed; i++) {
      // Synchronous calls (a promise per file costs more than the call), with a turn for the
      // event loop every SWEEP_CHUNK files.
      if (i % SWEEP_CHUNK === SWEEP_CHUNK - 1) await new Promise(setImmediate);
      const path = join(dir, names[i]);
      const info = statSync(path, { throwIfNoEntry: false });
      if (!info || !expired(info.mtimeMs)) continue;
      // Gone already (another process's housekeeping): nothing to do (force).
      rmSync(path, { force: true });
    }
  }

  /** Writes a file under a temporary name, then renames it into place: readers never see half of it. */
  private writeAtomic(target: string, content: string, mtime?: number): void {
    const tmp = this.path('tmp', `${this.tag}-${(this.seq++).toString(36)}`);
    writeFileSync(tmp, content);
    if (mtime !== undefined) utimesSync(tmp, mtime / 1000, mtime / 1000);
    renameSync(tmp, target);
  }

  private get eventLog(): string {
    return this.path('events.log');
  }

  /** Events are appended as JSON lines; lines emitted while a write is under way go in the next one, in order. */
  async emit(event: TaskEvent): Promise<void> {
    await this.connect();
    this.eventBuffer.push(`${JSON.stringify(event)}\n`);
    if (this.eventBuffer.length === 1) {
      const write = this.eventWrites.then(() => this.flushEvents());
      this.eventWrites = write.catch(() => undefined);
    }
    await this.eventWrites;
  }

  private async flushEvents(): Promise<void> {
    const chunk = this.eventBuffer.join('');
    this.eventBuffer = [];
    appendFileSync(this.eventLog, chunk);
    const now = Date.now();
    if (now < this.nextRotationCheck) return;
    this.nextRotationCheck = now + ROTATION_CHECK_MS;
    // Bounded: the full log becomes events.1.log (replacing the older one) and a new one starts.
    if (statSync(this.eventLog).size > EVENT_LOG_MAX_BYTES) moved(this.eventLog, this.path('events.1.log'));
  }

  /** Tails events.log from its current end, following rotation (the old file is read to its end first). */
  async subscribe(listener: (event: TaskEvent) => void): Promise<() => Promise<void>> {
    const stop = await this.tail(this.eventLog, listener);
    // Once the tail is open: workers that had nobody to tell turn their task events back on.
    const leave = this.listeners.join();
    const unsubscribe = async () => {
      this.subscriptions.delete(unsubscribe);
      leave();
      await stop();
    };
    this.subscriptions.add(unsubscribe); // close() ends it too
    return unsubscribe;
  }

  async watchListeners(onChange: (listening: boolean) => void): Promise<() => Promise<void>> {
    await this.connect();
    const stop = this.listeners.watch(onChange);
    return async () => stop();
  }

  /** Control messages: lines of control.log, small and rare, so appended one by one and bounded like the events. */
  async control(message: ControlMessage): Promise<void> {
    await this.connect();
    const log = this.path('control.log');
    appendFileSync(log, `${JSON.stringify(message)}\n`);
    if (statSync(log).size > EVENT_LOG_MAX_BYTES) moved(log, this.path('control.1.log'));
  }

  onControl(listener: (message: ControlMessage) => void): Promise<() => Promise<void>> {
    return this.tail(this.path('control.log'), listener);
  }

  /** Reads the JSON lines appended to `log` from now on, following its rotation. */
  private async tail<T>(log: string, listener: (value: T) => void): Promise<() => Promise<void>> {
    await this.connect();
    // The logs only: every commit writes store.mdb in the same folder.
    this.watchPath(this.root, this.rootChanged, (name) => name.endsWith('.log'));
    let handle: FileHandle | undefined;
    let offset = 0;
    let partial = '';
    const openLog = async (atEnd: boolean) => {
      await appendFile(log, '');
      handle = await open(log, 'r');
      offset = atEnd ? (await handle.stat()).size : 0;
      partial = '';
    };
    const drain = async () => {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await handle!.read(buffer, 0, buffer.length, offset);
        if (!bytesRead) break;
        offset += bytesRead;
        const lines = (partial + buffer.toString('utf8', 0, bytesRead)).split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          if (!line) continue;
          try {
            listener(JSON.parse(line) as T);
          } catch {
            // A torn line from a crashed writer: skip it.
          }
        }
      }
    };
    await openLog(true);
    let stopped = false;
    const loop = (async () => {
      while (!stopped && !this.closed) {
        await this.rootChanged.wait(POLL_MS);
        if (stopped) break;
        try {
          await drain();
          const current = await stat(log).catch(() => undefined);
          if (current && current.ino !== (await handle!.stat()).ino) {
            await handle!.close();
            await openLog(false);
            await drain();
          }
        } catch {
          // The directory changed under us (removed, being rotated): try again on the next turn.
        }
      }
    })();
    const unsubscribe = async () => {
      if (stopped) return;
      stopped = true;
      this.subscriptions.delete(unsubscribe);
      this.rootChanged.wake();
      await loop;
      await handle?.close();
    };
    this.subscriptions.add(unsubscribe);
    return unsubscribe;
  }

  /** In the store's `measured` table, one transaction per batch (Store.recordRuns). */
  async recordRuns(batch: TaskRuns[]): Promise<void> {
    if (batch.length) (await this.db()).recordRuns(batch);
  }

  async measuredRuns(): Promise<TaskRuns[]> {
    return (await this.db()).measuredRuns();
  }

  async setWorker(info: WorkerInfo, ttlMs: number): Promise<void> {
    await this.connect();
    this.writeAtomic(this.path('workers', `${segment(info.name)}.json`), JSON.stringify({ expiresAt: Date.now() + ttlMs, info }));
  }

  async removeWorker(name: string): Promise<void> {
    await unlink(this.path('workers', `${segment(name)}.json`)).catch((error) => {
      if (!isMissing(error)) throw error;
    });
  }

  async workers(): Promise<WorkerInfo[]> {
    await this.connect();
    const now = Date.now();
    const live: WorkerInfo[] = [];
    for (const name of await readdir(this.path('workers'))) {
      const path = this.path('workers', name);
      const stored = await readFile(path, 'utf8').then((s) => JSON.parse(s) as { expiresAt: number; info: WorkerInfo }, () => undefined);
      if (!stored) continue;
      if (stored.expiresAt > now) live.push(stored.info);
      else await unlink(path).catch(() => undefined);
    }
    return live;
  }
}
