// file://<dir> — the embedded broker: several processes on one machine share a directory, no
// server. Every state change is one atomic rename, so a process SIGKILLed at any point loses
// nothing (at-least-once):
//   publish  = write tmp/<name>, rename into ready/ (or delayed/ until its eta);
//   fetch    = rename ready/<name> into reserved/ with the owner (pid, start time) and lease deadline in the name;
//   ack      = rename into spare/ (the file is rewritten for a later message: see file-spares.ts);
//   release  = rename back;
//   sweeper  = any consumer, every second or so, renames back to ready/ the leases whose deadline
//              passed or whose owner process is gone, and moves due delayed messages to ready/.
// fs.watch wakes waiting consumers and result waiters at once; a short poll covers what it misses.
// Each process keeps a sorted listing of ready/ and refreshes it only when it is used up or
// stale, so draining N messages costs O(N) directory reads, not O(N²).
// Process crashes are survived; power loss is not (no fsync, for speed).
// Per-message operations (a rename, a small read or write) are synchronous: each is a few
// microseconds of system calls, and through libuv's thread pool the hop and the promise around
// every one cost more than the call itself (the worker drained about 2x faster this way).
// Directory listings, which can be long, stay asynchronous.
import {
  appendFileSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, watch, writeFileSync, type FSWatcher,
} from 'node:fs';
import { appendFile, mkdir, open, readdir, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { keepRecent } from '../measured.ts';
import type { ControlMessage, DeadLetter, Revocation, RunCost, TaskEvent, TaskMessage, TaskResult, TaskRuns, WorkerInfo } from '../protocol.ts';
import type { Broker, BrokerOptions, ChordMember, Delivery, FetchOptions } from './broker.ts';
import { Codec } from './codec.ts';
import { DEAD_LETTER_CAP, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_VISIBILITY_TIMEOUT_MS } from './defaults.ts';
import {
  baseName, delayedName, parseDelayed, parseReady, parseReserved, readyName, reservedName, segment,
} from './file-names.ts';
import { ownerAlive, SELF } from './file-owner.ts';
import { Spares } from './file-spares.ts';
import { Wakeup } from './wakeup.ts';

/** How often waiting parties look even without a watch event (fs.watch can miss events on some filesystems). */
const POLL_MS = 500;
/** A listing older than this is re-read even if not used up, so new higher-priority messages are seen. */
const LISTING_STALE_MS = 500;
const EVENT_LOG_MAX_BYTES = 8 * 1024 * 1024;
const HOUSEKEEPING_MS = 60_000;
/** Files housekeeping looks at between turns of the event loop. */
const SWEEP_CHUNK = 500;
/** How often the event log's size is checked for rotation. */
const ROTATION_CHECK_MS = 1000;
/** How long recordRuns waits for another process's update of measured.json before it gives up. */
const MEASURED_LOCK_WAIT_MS = 5000;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Creates an empty marker file; false when it exists already (made by this or another process). */
function marked(path: string): boolean {
  try {
    writeFileSync(path, '', { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
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

/** A sorted directory listing consumed from the front. */
interface Listing {
  names: string[];
  pos: number;
  loadedAt: number;
  dirty: boolean;
}

interface QueueDirs {
  ready: string;
  reserved: string;
  delayed: string;
  listing: Listing;
  /** Earliest eta in delayed/ as last listed (Infinity when none), and whether that listing is stale. */
  nextEta: number;
  delayedDirty: boolean;
}

export class FileBroker implements Broker {
  readonly displayUrl: string;
  private readonly root: string;
  private readonly visibilityTimeoutMs: number;
  private readonly codec: Codec;
  private readonly tag = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  private seq = 0;
  private readonly queues = new Map<string, Promise<QueueDirs>>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly spares: Spares;
  private readonly arrivals = new Wakeup();
  private readonly results = new Wakeup();
  private readonly rootChanged = new Wakeup();
  private readonly revocationsChanged = new Wakeup();
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

  constructor(root: string, options: BrokerOptions = {}) {
    this.root = root;
    this.displayUrl = `file://${root}`;
    this.codec = new Codec(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, this.displayUrl);
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? DEFAULT_VISIBILITY_TIMEOUT_MS;
    this.spares = new Spares(this.path('spare'), this.tag);
  }

  private path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  connect(): Promise<void> {
    this.ready ??= (async () => {
      try {
        // A folder the broker creates holds only its own state: git ignores it without a rule from the user.
        if (await mkdir(this.root, { recursive: true }) !== undefined) writeFileSync(this.path('.gitignore'), '*\n');
        await Promise.all(['tmp', 'spare', 'queues', 'results', 'workers', 'dead', 'revoked', 'schedules', 'flows'].map((d) => mkdir(this.path(d), { recursive: true })));
      } catch (error) {
        this.ready = undefined;
        throw new Error(`cannot use the embedded broker directory ${this.root}: ${(error as Error).message}`);
      }
    })();
    return this.ready;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((unsubscribe) => unsubscribe()));
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    await this.eventWrites;
    await this.sweeping; // stops at its next file, as closed is set
    this.arrivals.wake();
    this.results.wake();
    this.rootChanged.wake();
    this.revocationsChanged.wake();
  }

  /** Watches a directory, waking `wakeup` (and running `onChange`) on every change. */
  private watchDir(dir: string, wakeup: Wakeup, onChange?: (file: string | null) => void): void {
    if (this.closed || this.watchers.has(dir)) return;
    try {
      const watcher = watch(dir, { persistent: false }, (_event, file) => {
        onChange?.(file);
        wakeup.wake();
      });
      watcher.on('error', () => { watcher.close(); this.watchers.delete(dir); });
      this.watchers.set(dir, watcher);
    } catch {
      // No watch on this filesystem: the poll interval still finds everything.
    }
  }

  /** The queue's directories, created once (concurrent first callers share the one promise). */
  private queue(name: string): Promise<QueueDirs> {
    let q = this.queues.get(name);
    if (!q) {
      q = (async () => {
        await this.connect();
        const dir = this.path('queues', segment(name));
        const dirs: QueueDirs = {
          ready: join(dir, 'ready'), reserved: join(dir, 'reserved'), delayed: join(dir, 'delayed'),
          listing: { names: [], pos: 0, loadedAt: 0, dirty: true }, nextEta: Infinity, delayedDirty: true,
        };
        await Promise.all([dirs.ready, dirs.reserved, dirs.delayed].map((d) => mkdir(d, { recursive: true })));
        return dirs;
      })();
      q.catch(() => this.queues.delete(name));
      this.queues.set(name, q);
    }
    return q;
  }

  /**
   * Writes a file under a temporary name (a spare file when there is one), then renames it into
   * place: readers never see half of it.
   */
  private writeAtomic(target: string, content: string, mtime?: number): void {
    const tmp = this.path('tmp', `${this.tag}-${(this.seq++).toString(36)}`);
    this.spares.take(tmp);
    writeFileSync(tmp, content);
    if (mtime !== undefined) utimesSync(tmp, mtime / 1000, mtime / 1000);
    renameSync(tmp, target);
  }

  async publish(message: TaskMessage): Promise<void> {
    await this.put(message.queue, this.codec.encode(message), message.priority ?? 0, message.eta ?? 0);
  }

  async publishRaw(queue: string, raw: string): Promise<void> {
    await this.put(queue, raw, 0, 0);
  }

  private async put(queueName: string, raw: string, priority: number, eta: number): Promise<void> {
    const q = await this.queue(queueName);
    const base = baseName(priority, Date.now(), this.seq++, this.tag);
    if (eta > Date.now()) this.writeAtomic(join(q.delayed, delayedName(eta, base, 0)), raw);
    else this.writeAtomic(join(q.ready, readyName(base, 0)), raw);
  }

  async fetch(queues: string[], max: number, options: FetchOptions): Promise<Delivery[]> {
    if (max <= 0 || !queues.length) return [];
    const dirs = await Promise.all(queues.map((name) => this.queue(name)));
    for (const q of dirs) {
      this.watchDir(q.ready, this.arrivals, () => { q.listing.dirty = true; });
      this.watchDir(q.delayed, this.arrivals, () => { q.delayedDirty = true; });
    }
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      const seen = this.arrivals.generation;
      const now = Date.now();
      if (now >= this.nextSweep) {
        this.nextSweep = now + Math.min(1000, Math.max(50, this.visibilityTimeoutMs / 4));
        await Promise.all(dirs.map((q) => this.sweepLeases(q, now)));
      }
      const out: Delivery[] = [];
      for (let i = 0; i < dirs.length && out.length < max; i++) {
        await this.promoteDelayed(dirs[i], now);
        out.push(...await this.claim(queues[i], dirs[i], max - out.length));
      }
      if (out.length || options.signal?.aborted || this.closed) return out;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return out;
      const nextEta = Math.min(...dirs.map((q) => q.nextEta));
      await this.arrivals.wait(Math.min(remaining, POLL_MS, this.nextSweep - Date.now(), nextEta - Date.now()), options.signal, seen);
    }
  }

  /** Takes up to `max` messages from the front of the listing, refreshing it when used up or stale. */
  private async claim(queue: string, q: QueueDirs, max: number): Promise<Delivery[]> {
    const out: Delivery[] = [];
    const listing = q.listing;
    while (out.length < max) {
      const now = Date.now();
      const usedUp = listing.pos >= listing.names.length;
      if ((usedUp && (listing.dirty || now - listing.loadedAt >= POLL_MS)) || (listing.dirty && now - listing.loadedAt >= LISTING_STALE_MS)) {
        listing.dirty = false;
        listing.names = (await readdir(q.ready)).sort();
        listing.pos = 0;
        listing.loadedAt = now;
      }
      if (listing.pos >= listing.names.length) break;
      const batch = listing.names.slice(listing.pos, listing.pos + (max - out.length));
      listing.pos += batch.length;
      const leaseDeadline = now + this.visibilityTimeoutMs;
      for (const name of batch) {
        const d = this.claimOne(queue, q, name, leaseDeadline);
        if (d) out.push(d);
      }
    }
    return out;
  }

  private claimOne(queue: string, q: QueueDirs, name: string, leaseDeadline: number): Delivery | undefined {
    const parsed = parseReady(name);
    if (!parsed) return undefined;
    const receipt = reservedName(parsed.base, parsed.deliveries + 1, SELF, leaseDeadline);
    const target = join(q.reserved, receipt);
    if (!moved(join(q.ready, name), target)) return undefined; // another consumer won it
    const raw = readFileSync(target, 'utf8');
    return { queue, raw, ...this.codec.decode(raw), deliveryCount: parsed.deliveries + 1, receipt };
  }

  /** Returns to ready/ what a dead process held or what was held past its lease. */
  private async sweepLeases(q: QueueDirs, now: number): Promise<void> {
    const owners = new Map<string, boolean>();
    for (const name of await readdir(q.reserved)) {
      const lease = parseReserved(name);
      if (!lease) continue;
      let alive = owners.get(lease.owner);
      if (alive === undefined) owners.set(lease.owner, (alive = ownerAlive(lease.owner)));
      if (lease.deadline > now && alive) continue;
      moved(join(q.reserved, name), join(q.ready, readyName(lease.base, lease.deliveries)));
      q.listing.dirty = true;
    }
  }

  private async promoteDelayed(q: QueueDirs, now: number): Promise<void> {
    if (!q.delayedDirty && q.nextEta > now) return;
    q.delayedDirty = false;
    q.nextEta = Infinity;
    for (const name of (await readdir(q.delayed)).sort()) {
      const delayed = parseDelayed(name);
      if (!delayed) continue;
      if (delayed.eta > now) {
        q.nextEta = delayed.eta;
        break;
      }
      moved(join(q.delayed, name), join(q.ready, delayed.ready));
      q.listing.dirty = true;
    }
  }

  async ack(deliveries: Delivery[]): Promise<void> {
    for (const d of deliveries) {
      // Gone: the lease expired and the message went back (it will run again: at-least-once).
      this.spares.give(join((await this.queue(d.queue)).reserved, d.receipt));
    }
  }

  async release(deliveries: Delivery[]): Promise<void> {
    for (const d of deliveries) {
      const lease = parseReserved(d.receipt);
      if (!lease) continue;
      const q = await this.queue(d.queue);
      moved(join(q.reserved, d.receipt), join(q.ready, readyName(lease.base, lease.deliveries - 1)));
      q.listing.dirty = true;
    }
    this.arrivals.wake();
  }

  async extend(deliveries: Delivery[]): Promise<void> {
    const deadline = Date.now() + this.visibilityTimeoutMs;
    for (const d of deliveries) {
      const lease = parseReserved(d.receipt);
      if (!lease) continue;
      const q = await this.queue(d.queue);
      const renewed = reservedName(lease.base, lease.deliveries, SELF, deadline);
      // Not moved: lost to the sweeper, it will be delivered again.
      if (moved(join(q.reserved, d.receipt), join(q.reserved, renewed))) d.receipt = renewed;
    }
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
    let purged = 0;
    for (const name of queues) {
      const q = await this.queue(name);
      for (const dir of [q.ready, q.delayed]) {
        const removed = await Promise.all((await readdir(dir)).map((n) => unlink(join(dir, n)).then(() => 1, () => 0)));
        purged += removed.reduce<number>((a, b) => a + b, 0);
      }
      q.listing.dirty = true;
      q.delayedDirty = true;
    }
    return purged;
  }

  async queueLengths(queues: string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of queues) {
      const q = await this.queue(name);
      out[name] = (await readdir(q.ready)).length + (await readdir(q.delayed)).length;
    }
    return out;
  }

  async holds(queues: string[], id: string): Promise<boolean> {
    for (const name of queues) {
      const q = await this.queue(name);
      for (const dir of [q.ready, q.delayed, q.reserved]) {
        for (const file of await readdir(dir)) {
          // Gone meanwhile (claimed, acked): it is in another folder or finished.
          const raw = await readFile(join(dir, file), 'utf8').catch(() => undefined);
          if (raw !== undefined && this.codec.decode(raw).message?.id === id) return true;
        }
      }
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
    const now = Date.now();
    const out = new Set<string>();
    for (const id of ids) {
      if ((statSync(this.revokedPath(id), { throwIfNoEntry: false })?.mtimeMs ?? 0) > now) out.add(id);
    }
    return out;
  }

  /** Watches revoked/ (and looks every POLL_MS): a new file, or one rewritten (a later revoke with terminate), is a revocation. */
  async watchRevocations(listener: (revocation: Revocation) => void): Promise<() => Promise<void>> {
    await this.connect();
    const dir = this.path('revoked');
    this.watchDir(dir, this.revocationsChanged);
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

  /** flows/sent-<id>, made with O_EXCL, marks a step published; its mtime is its expiry. */
  async publishOnce(message: TaskMessage, ttlMs: number, again = false): Promise<void> {
    await this.connect();
    const raw = this.codec.encode(message); // refused before the marker, which would stop a later try
    const marker = this.path('flows', `sent-${segment(message.id)}`);
    if (!marked(marker)) {
      if (again && !(await this.getResult(message.id)) && !(await this.holds([message.queue], message.id))) await this.put(message.queue, raw, message.priority ?? 0, message.eta ?? 0);
      return;
    }
    const expiry = (Date.now() + ttlMs) / 1000;
    utimesSync(marker, expiry, expiry);
    await this.put(message.queue, raw, message.priority ?? 0, message.eta ?? 0);
  }

  /**
   * flows/chord-<id>/ holds a marker per member counted (made with O_EXCL: a member counts once)
   * and sends the callback through publishOnce. The folder's mtime is its expiry.
   */
  async joinChord(chord: ChordMember, callback: TaskMessage, ttlMs: number, again = false): Promise<void> {
    await this.connect();
    const dir = this.path('flows', `chord-${segment(chord.id)}`);
    mkdirSync(dir, { recursive: true });
    marked(join(dir, `member-${chord.index}`));
    const counted = readdirSync(dir).length;
    const expiry = (Date.now() + ttlMs) / 1000;
    utimesSync(dir, expiry, expiry);
    if (counted >= chord.size) await this.publishOnce(callback, ttlMs, again);
  }

  private resultPath(id: string): string {
    return this.path('results', `${segment(id)}.json`);
  }

  /** A schedule's folder holds one empty file named by its last tick: advancing it is one rename. */
  private scheduleDir(schedule: string): string {
    return this.path('schedules', segment(schedule));
  }

  async lastTick(schedule: string): Promise<number | undefined> {
    await this.connect();
    try {
      const ticks = (await readdir(this.scheduleDir(schedule))).map(Number).filter(Number.isFinite);
      return ticks.length ? Math.max(...ticks) : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async advanceTick(schedule: string, from: number | undefined, to: number, message?: TaskMessage): Promise<boolean> {
    const raw = message && this.codec.encode(message);
    const won = await this.claimTick(schedule, from, to);
    if (won && message) await this.put(message.queue, raw!, message.priority ?? 0, 0);
    return won;
  }

  private async claimTick(schedule: string, from: number | undefined, to: number): Promise<boolean> {
    await this.connect();
    const dir = this.scheduleDir(schedule);
    // Only one process can rename the file away from `from`; ticks only grow, so it never comes back.
    if (from !== undefined) return moved(join(dir, String(from)), join(dir, String(to)));
    // The first record: a folder made aside with its file, renamed into place. A rename onto a
    // folder that is not empty fails, so the record appears whole, once.
    const aside = this.path('tmp', `${this.tag}-${(this.seq++).toString(36)}`);
    mkdirSync(aside);
    writeFileSync(join(aside, String(to)), '');
    try {
      renameSync(aside, dir);
      return true;
    } catch (error) {
      rmSync(aside, { recursive: true, force: true });
      if (['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) return false;
      throw error;
    }
  }

  async storeResult(result: TaskResult, ttlMs: number): Promise<void> {
    await this.connect();
    const expiresAt = Date.now() + ttlMs;
    // The expiry is also the file's mtime, so housekeeping finds expired results with stat alone.
    this.writeAtomic(this.resultPath(result.id), JSON.stringify({ expiresAt, result }), expiresAt);
    this.housekeeping();
  }

  async getResult(id: string): Promise<TaskResult | undefined> {
    let stored: { expiresAt: number; result: TaskResult };
    try {
      stored = JSON.parse(readFileSync(this.resultPath(id), 'utf8'));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return stored.expiresAt > Date.now() ? stored.result : undefined;
  }

  async waitForResult(id: string, timeoutMs: number, signal?: AbortSignal): Promise<TaskResult | undefined> {
    await this.connect();
    this.watchDir(this.path('results'), this.results);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.results.generation;
      const found = await this.getResult(id);
      const remaining = deadline - Date.now();
      if (found || remaining <= 0 || signal?.aborted || this.closed) return found;
      await this.results.wait(Math.min(remaining, POLL_MS), signal, seen);
    }
  }

  /**
   * Drops expired results and abandoned temp files, at most once a minute, in the background: the
   * store that starts it does not wait (going through 100,000 results takes many seconds, and that
   * task's ack, and a drain, would wait with it).
   */
  private housekeeping(): void {
    const now = Date.now();
    if (now < this.nextHousekeeping || this.sweeping) return;
    this.nextHousekeeping = now + HOUSEKEEPING_MS;
    this.sweeping = (async () => {
      await this.drop(this.path('results'), (mtime) => mtime <= now);
      await this.drop(this.path('revoked'), (mtime) => mtime <= now);
      await this.drop(this.path('flows'), (mtime) => mtime <= now);
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
      // recursive: a chord's count (joinChord) and an abandoned first schedule record (advanceTick)
      // are folders. Gone already (another process's housekeeping): nothing to do (force).
      rmSync(path, { recursive: true, force: true });
    }
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
  subscribe(listener: (event: TaskEvent) => void): Promise<() => Promise<void>> {
    return this.tail(this.eventLog, listener);
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
    this.watchDir(this.root, this.rootChanged);
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

  /**
   * measured.json holds every task's recent runs; writers merge into it under measured.lock (a file
   * naming its owner, so one left by a dead process is taken over), readers need no lock as the
   * file is replaced by a rename. Workers call this once per heartbeat, so the lock is rarely contended.
   */
  async recordRuns(batch: TaskRuns[]): Promise<void> {
    await this.connect();
    if (!batch.length) return;
    const lock = this.path('measured.lock');
    const deadline = Date.now() + MEASURED_LOCK_WAIT_MS;
    for (;;) {
      try {
        const fd = openSync(lock, 'wx');
        writeFileSync(fd, SELF);
        closeSync(fd);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = await readFile(lock, 'utf8').catch(() => '');
      if (owner && !ownerAlive(owner)) await unlink(lock).catch(() => undefined);
      else if (Date.now() > deadline) throw new Error(`recording measured runs: ${lock} has been held for ${MEASURED_LOCK_WAIT_MS} ms by process ${owner}`);
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
    try {
      const stored = this.readMeasured();
      for (const { task, runs } of batch) stored[task] = keepRecent(stored[task] ?? [], runs);
      this.writeAtomic(this.path('measured.json'), JSON.stringify(stored));
    } finally {
      unlinkSync(lock);
    }
  }

  async measuredRuns(): Promise<TaskRuns[]> {
    await this.connect();
    return Object.entries(this.readMeasured()).map(([task, runs]) => ({ task, runs }));
  }

  private readMeasured(): Record<string, RunCost[]> {
    try {
      return JSON.parse(readFileSync(this.path('measured.json'), 'utf8')) as Record<string, RunCost[]>;
    } catch (error) {
      if (isMissing(error)) return {};
      throw new Error(`the measured runs in ${this.path('measured.json')} cannot be read (${(error as Error).message}): delete the file to start over`);
    }
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
