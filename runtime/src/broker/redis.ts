// redis:// and rediss:// through ioredis. One stream per queue with one consumer group:
//   fetch   = a script that promotes due delayed messages and XREADGROUPs in order of preference,
//             then, when empty, a blocking XREADGROUP on its own connection;
//   ack     = pipelined XACK + XDEL;
//   redelivery: entries idle past the visibility timeout (XAUTOCLAIM), and everything a dead
//             consumer held (its liveness key expired) without waiting for that timeout;
//   results = SET PX plus PUBLISH of the same value, so waitForResult never polls; and to the
//             producer's own reply channel (Celery's rpc:// idea) when the message names one;
//   events  = pub/sub; worker snapshots = keys with PX TTL indexed by a sorted set.
// A dropped connection (redis-connection.ts): a consumer then re-reads the entries reserved to it
// that it never saw (a fetch whose reply was lost), and keeps its tasks' outcomes until Redis is back.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis, RedisOptions } from 'ioredis';
import { formatMs, Logger } from '../logger.ts';
import { MEASURED_RUNS_KEPT } from '../measured.ts';
import type { ControlMessage, DeadLetter, Revocation, TaskEvent, TaskMessage, TaskResult, TaskRuns, WorkerInfo } from '../protocol.ts';
import type { Broker, BrokerOptions, Delivery, FetchOptions } from './broker.ts';
import { Codec } from './codec.ts';
import {
  DEAD_LETTER_CAP, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_CONSUMER_TIMEOUT_MS, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_VISIBILITY_TIMEOUT_MS,
} from './defaults.ts';
import { clusterOf, ConnectionLost, createClient, Link } from './redis-connection.ts';
import { ADVANCE_TICK, EXTEND, FETCH, HOLDS, LENGTHS, PURGE, RECLAIM, RECOVER, RELEASE, STORE_RESULTS } from './redis-scripts.ts';
import { BrokerUrlError, parseRedisUrl, redact, type RedisTarget } from './url.ts';
import { Batcher } from '../worker/batcher.ts';

const GROUP = 'tasklane';
/** The fetch script (promote due delayed messages, read in order of preference) runs at least this often. */
const SCAN_EVERY_MS = 100;
/** How often a worker counts event subscribers again (a new one announces itself at once). */
const LISTENERS_RECOUNT_MS = 2000;
/** A producer's reply channel is given up after this long with nobody waiting for a result. */
const REPLY_IDLE_MS = 1000;
/** The id at the head of a result's JSON (the worker writes it first). */
const RESULT_ID = /^\{"id":"([^"]+)"/;
const DEFAULT_MAX_KEPT_OUTCOMES = 10_000;
/** Pause between tries to open a connection. */
const REOPEN_MS = 200;

type Scripts = Record<'tlFetch' | 'tlReclaim' | 'tlRecover' | 'tlRelease' | 'tlExtend' | 'tlLengths' | 'tlPurge' | 'tlStore' | 'tlHolds' | 'tlAdvanceTick',
  (numKeys: number, ...args: (string | number)[]) => Promise<unknown>>;
type Client = Redis & Scripts;
type Fields = string[];

/** A command lost with its connection is done again later (subscriptions, looks): not an error. */
function ignoreLost(error: unknown): Promise<void> {
  return error instanceof ConnectionLost ? Promise.resolve() : Promise.reject(error);
}

interface CommandOptions {
  /** Wait for Redis as long as it takes (a consumer's work), not only connectTimeout. */
  patient?: boolean;
  /** Not sent again when the reply is lost with the connection: it may have been applied. */
  once?: boolean;
  signal?: AbortSignal;
}

export class RedisBroker implements Broker {
  readonly displayUrl: string;
  private readonly target: RedisTarget;
  private readonly prefix: string;
  private readonly visibilityTimeoutMs: number;
  private readonly consumerTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly extraOptions: RedisOptions;
  private readonly maxKeptOutcomes: number;
  private readonly logger: Logger;
  private readonly codec: Codec;
  /** This broker's consumer name in every group: unique per process and instance. */
  private readonly consumer = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  private link: Link | undefined;
  private blocking: Link | undefined;
  private blockingId: number | undefined;
  /** RESP3, so it can GET while subscribed: waitForResult subscribes and looks in one round trip. */
  private sub: Promise<Link> | undefined;
  /** waitForResult's looks at stored results: done again when the subscriber is back (pushes missed meanwhile). */
  private readonly looks = new Set<() => void>();
  /** Entries handed out by fetch and not acked, released or given up, per queue. */
  private readonly held = new Map<string, Set<string>>();
  /** Set when entries may be reserved to this consumer that nobody here holds (a lost fetch reply). */
  private recover = false;
  /** Task outcomes waiting for Redis to come back, and since when. */
  private outage: { since: number; kept: number; full: boolean } | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private readonly channels = new Map<string, Set<(message: string) => void>>();
  /**
   * This broker's reply channel: once a waitForResult has subscribed to it, the messages it
   * publishes name it, and workers push those results there too. A result then reaches a waiting
   * producer without a SUBSCRIBE on its critical path: one round trip fewer for delay → get.
   */
  private readonly replyChannel: string;
  private replies: Promise<unknown> | undefined;
  private readonly replyWaiters = new Map<string, (result: TaskResult) => void>();
  /** Set while the reply channel is subscribed: the messages published meanwhile name it. */
  private stopReplies: (() => Promise<void>) | undefined;
  private replyIdle: NodeJS.Timeout | undefined;
  /**
   * A producer that has stopped waiting stops listening: otherwise every result of every task it
   * sends afterwards (bulk jobs nobody waits for) would be pushed to it. The next wait listens again.
   */
  private readonly dropReplies = (): void => {
    const stop = this.stopReplies;
    if (this.replyWaiters.size || !stop) return;
    this.replies = undefined;
    this.stopReplies = undefined;
    void stop();
  };
  private livenessTimer: NodeJS.Timeout | undefined;
  private nextReclaim = 0;
  /** The last run of the fetch script: which streams, when, and the earliest eta it saw (-1: none). */
  private lastScan: { streams: string; at: number; nextEta: number } | undefined;
  private delayedSeq = 0;
  // Results (with the acks that follow them) and events stored together travel as one command (see
  // Batcher). Results are serialised when their batch leaves, not when stored: tasks finishing in a
  // burst (timers landing together) hand their slots on first, and the JSON work follows.
  private readonly resultBatch = new Batcher<[result: TaskResult, ttlMs: number, ack?: Delivery]>(async (items) => {
    const keys: string[] = [];
    const args: Array<string | number> = [GROUP, items.length];
    const streams: string[] = [];
    const ids: string[] = [];
    const acked: Delivery[] = [];
    for (const [result, ttl, d] of items) {
      keys.push(this.key('r', result.id));
      args.push(JSON.stringify(result), ttl, d?.replyTo ?? '');
      if (d) {
        streams.push(this.key('q', d.queue));
        ids.push(d.receipt);
        acked.push(d);
      }
    }
    await this.outcome(acked, 0, (cmd) => cmd.tlStore(keys.length + streams.length, ...keys, ...streams, ...args, ...ids));
  });
  /** Messages sent in the same tick (or while a batch is in flight) leave in one pipeline. */
  // A producer's publish fails at once when its reply is lost (it may be enqueued: the caller
  // decides). A consumer's (a task's retry, part of its outcome) waits for Redis and is sent again:
  // a duplicate at worst, where failing would leave the task to the visibility timeout.
  private readonly publishBatch = new Batcher<[key: string, raw: string, eta?: number, tag?: string, replyTo?: string]>((items) => {
    const consumer = this.livenessTimer !== undefined;
    return this.command(async (cmd) => {
      const xadd = (target: Client | ReturnType<Redis['pipeline']>, key: string, raw: string, replyTo?: string) =>
        (replyTo ? target.xadd(key, '*', 'm', raw, 'r', replyTo) : target.xadd(key, '*', 'm', raw));
      if (items.length === 1 && items[0][2] === undefined) {
        await xadd(cmd, items[0][0], items[0][1], items[0][4]);
        return;
      }
      const pipeline = cmd.pipeline();
      for (const [key, raw, eta, tag, replyTo] of items) {
        if (eta === undefined) xadd(pipeline, key, raw, replyTo);
        else pipeline.zadd(key, eta, `${tag}\n${raw}`);
      }
      await this.exec(pipeline);
    }, { patient: consumer, once: !consumer });
  });
  private readonly eventBatch = new Batcher<string>(async (events) => {
    await this.command((cmd) => cmd.publish(this.key('events', 'all'), events.length === 1 ? events[0] : `[${events.join(',')}]`));
  });

  constructor(url: string, options: BrokerOptions = {}) {
    this.target = parseRedisUrl(url);
    this.displayUrl = redact(url);
    this.prefix = options.prefix ?? (this.target.kind === 'cluster' ? '{tasklane}' : 'tasklane');
    // The scripts and pipelines touch several keys at once: on a cluster they must share a slot.
    if (this.target.kind === 'cluster' && !/\{[^}]+\}/.test(this.prefix)) {
      throw new BrokerUrlError(url, `on Redis Cluster the prefix needs a hash tag, e.g. {${this.prefix}}`);
    }
    this.maxKeptOutcomes = options.maxKeptOutcomes ?? DEFAULT_MAX_KEPT_OUTCOMES;
    if (!(this.maxKeptOutcomes >= 0)) throw new BrokerUrlError(url, `maxKeptOutcomes must be 0 or more, got ${options.maxKeptOutcomes}`);
    this.logger = options.logger ?? new Logger('broker');
    this.replyChannel = this.key('reply', this.consumer);
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? DEFAULT_VISIBILITY_TIMEOUT_MS;
    this.consumerTimeoutMs = options.consumerTimeoutMs ?? DEFAULT_CONSUMER_TIMEOUT_MS;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.extraOptions = (options.redis ?? {}) as RedisOptions;
    this.codec = new Codec(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, this.displayUrl);
  }

  private key(kind: string, name: string): string {
    return `${this.prefix}:${kind}:${name}`;
  }

  /**
   * A connection, tried again for up to connectTimeout (a Sentinel failover in progress, a server
   * restarting), then one clear error naming the (redacted) URL. A refused password fails at once.
   */
  private async open(purpose: string, onBack: () => void, protocol: 2 | 3 = 2): Promise<Link> {
    const started = Date.now();
    for (;;) {
      try {
        return await this.openOnce(purpose, onBack, protocol);
      } catch (error) {
        if (this.closed || /WRONGPASS|NOAUTH|NOPERM/.test((error as Error).message) || Date.now() - started + REOPEN_MS >= this.connectTimeoutMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, REOPEN_MS));
      }
    }
  }

  /** One try: fails with one clear error when the server cannot be reached, reconnects quietly once it has been up. */
  private async openOnce(purpose: string, onBack: () => void, protocol: 2 | 3): Promise<Link> {
    let up = false;
    let lastError: Error | undefined;
    const client = createClient(this.target, {
      lazyConnect: true,
      protocol,
      connectTimeout: this.connectTimeoutMs,
      // No auto-pipelining: it holds every command until setImmediate, which a round trip pays
      // for. Commands that come in numbers are batched here instead (Batcher, pipelines).
      enableAutoPipelining: false,
      // Commands are sent only while the connection is up (Link.whenUp), and none is sent twice
      // behind the broker's back: see redis-connection.ts.
      maxRetriesPerRequest: null,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (times) => (up && !this.closed ? Math.min(times * 100, 2000) : null),
      ...this.extraOptions,
    });
    client.on('error', (error: Error) => { lastError = error; });
    client.on('ready', () => { up = true; });
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      client.disconnect();
      const why = (lastError ?? (error as Error)).message;
      throw new Error(`cannot reach the Redis broker at ${this.displayUrl} (${purpose} connection): ${redact(why)}`);
    }
    return new Link(client, purpose, this.displayUrl, onBack);
  }

  /** The command connection is back: what a lost fetch reply reserved is looked for, kept outcomes go out. */
  private readonly commandBack = (): void => {
    this.recover = true;
    if (this.livenessTimer) this.refreshLiveness().catch(() => undefined);
    const outage = this.outage;
    if (outage) {
      this.outage = undefined;
      this.logger.info(`Redis at ${this.displayUrl} is back after ${formatMs(Date.now() - outage.since)}: storing ${outage.kept} kept task outcome(s)`);
    }
  };

  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`broker ${this.displayUrl} is closed`));
    this.connecting ??= (async () => {
      const link = await this.open('command', this.commandBack);
      const cmd = link.client as Client;
      cmd.defineCommand('tlFetch', { lua: FETCH });
      cmd.defineCommand('tlReclaim', { lua: RECLAIM });
      cmd.defineCommand('tlRecover', { lua: RECOVER });
      cmd.defineCommand('tlRelease', { lua: RELEASE });
      cmd.defineCommand('tlExtend', { lua: EXTEND });
      cmd.defineCommand('tlLengths', { lua: LENGTHS });
      cmd.defineCommand('tlPurge', { lua: PURGE });
      cmd.defineCommand('tlStore', { lua: STORE_RESULTS });
      cmd.defineCommand('tlHolds', { lua: HOLDS });
      cmd.defineCommand('tlAdvanceTick', { lua: ADVANCE_TICK });
      this.link = link;
    })();
    this.connecting.catch(() => { this.connecting = undefined; });
    return this.connecting;
  }

  /**
   * Runs a command once the command connection is up: waiting up to connectTimeout, or as long as
   * it takes when `patient`. A reply lost with the connection: sent again once it is back, unless
   * `once` (then ConnectionLost reaches the caller).
   */
  private async command<T>(op: (cmd: Client) => Promise<T>, options: CommandOptions = {}): Promise<T> {
    if (!this.link) await this.connect();
    const link = this.link!;
    const since = Date.now();
    for (;;) {
      if (!link.up) await link.whenUp(options.patient ? Infinity : Math.max(0, since + this.connectTimeoutMs - Date.now()), options.signal);
      try {
        return await link.send(op(link.client as Client));
      } catch (error) {
        if (!(error instanceof ConnectionLost) || options.once) throw error;
      }
    }
  }

  /**
   * A consumer's outcome command (results, acks, releases…) for `count` tasks: kept while Redis is
   * unreachable, up to maxKeptOutcomes. Deliveries whose outcome is given up (too many kept, or an
   * error) are no longer held here, so the next fetch takes them up again.
   */
  private async outcome(deliveries: Delivery[], count: number, op: (cmd: Client) => Promise<unknown>): Promise<void> {
    try {
      this.admit(deliveries, count);
      await this.command(op, { patient: true });
      this.unhold(deliveries, false);
    } catch (error) {
      this.unhold(deliveries, true);
      throw error;
    }
  }

  /**
   * While Redis is down, counts the outcomes that will wait for it (throwing past the bound, and
   * then giving their deliveries up). Results are counted as they are stored, not as their batch
   * leaves: a batch waits for the one in flight.
   */
  private admit(deliveries: Delivery[], count: number): void {
    if (!this.link || this.link.up) return;
    try {
      this.keep(count);
    } catch (error) {
      this.unhold(deliveries, true);
      throw error;
    }
  }

  /** Counts outcomes waiting for Redis, saying once when that starts and when the bound is hit. */
  private keep(count: number): void {
    if (!this.outage) {
      this.outage = { since: Date.now(), kept: 0, full: false };
      this.logger.warn(`Redis at ${this.displayUrl} is unreachable: keeping task outcomes (results, acks) until it is back, at most ${this.maxKeptOutcomes}`);
    }
    const outage = this.outage;
    if (outage.kept + count > this.maxKeptOutcomes) {
      if (!outage.full) this.logger.error(`Redis at ${this.displayUrl} still unreachable: ${outage.kept} task outcome(s) kept, the most allowed (maxKeptOutcomes); outcomes of tasks finishing now are given up and those tasks will run again`);
      outage.full = true;
      throw new Error(`Redis at ${this.displayUrl} unreachable and ${outage.kept} outcomes kept already (maxKeptOutcomes)`);
    }
    outage.kept += count;
  }

  /** Forgets deliveries (acked, released, or given up: `again` = fetch them again from this consumer's reservations). */
  private unhold(deliveries: Delivery[], again: boolean): void {
    for (const d of deliveries) this.held.get(d.queue)?.delete(d.receipt);
    if (again && deliveries.length) this.recover = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.livenessTimer);
    clearTimeout(this.replyIdle);
    await this.connecting?.catch(() => undefined);
    const cmd = this.link?.client;
    // Dropping the liveness key hands whatever this consumer still holds to the others at once.
    if (this.livenessTimer && this.link?.up) await this.link.send(cmd!.del(this.key('c', this.consumer))).catch(() => undefined);
    this.blocking?.abandon();
    this.blocking?.client.disconnect();
    const sub = await this.sub?.catch(() => undefined);
    // quit() would wait for a connection that is down: an outage's unsent commands are given up.
    for (const link of [this.link, sub]) {
      link?.abandon();
      if (link?.up) await link.client.quit().catch(() => undefined);
      else link?.client.disconnect();
    }
  }

  publish(message: TaskMessage): Promise<void> {
    let raw: string;
    try {
      raw = this.codec.encode(message);
    } catch (error) {
      return Promise.reject(error);
    }
    if (message.eta !== undefined && message.eta > Date.now()) {
      // Members must be unique even for identical payloads: a unique tag before the newline.
      return this.publishBatch.add([this.key('d', message.queue), raw, message.eta, `${this.consumer}:${this.delayedSeq++}`]);
    }
    return this.publishBatch.add([this.key('q', message.queue), raw, undefined, undefined, this.stopReplies ? this.replyChannel : undefined]);
  }

  publishRaw(queue: string, raw: string): Promise<void> {
    return this.publishBatch.add([this.key('q', queue), raw]);
  }

  private refreshLiveness(): Promise<unknown> {
    return this.command((cmd) => cmd.set(this.key('c', this.consumer), '1', 'PX', this.consumerTimeoutMs));
  }

  /** Announces this consumer alive, and keeps it so while the process runs (and at once when Redis is back). */
  private async keepAlive(): Promise<void> {
    if (this.livenessTimer) return;
    this.livenessTimer = setInterval(() => { this.refreshLiveness().catch(() => undefined); }, Math.max(50, this.consumerTimeoutMs / 3));
    this.livenessTimer.unref();
    await this.refreshLiveness();
  }

  private delivery(queue: string, id: string, fields: Fields, deliveryCount?: number): Delivery {
    let raw = '';
    let before = 0;
    let replyTo: string | undefined;
    for (let i = 0; i < fields.length; i += 2) {
      if (fields[i] === 'm') raw = fields[i + 1];
      else if (fields[i] === 'd') before = Number(fields[i + 1]);
      else if (fields[i] === 'r') replyTo = fields[i + 1];
    }
    return { queue, raw, ...this.codec.decode(raw), deliveryCount: before + (deliveryCount ?? 1), receipt: id, replyTo };
  }

  /**
   * Patient: while Redis is unreachable it waits for it (until the signal aborts). A reply lost with
   * the connection is not read again: what it reserved is looked for in this consumer's own
   * reservations (RECOVER) on the next pass, before anything new is read.
   */
  async fetch(queues: string[], max: number, options: FetchOptions): Promise<Delivery[]> {
    if (max <= 0 || !queues.length) return [];
    await this.keepAlive();
    for (;;) {
      try {
        const got = await this.fetchOnce(queues, max, options);
        for (const d of got) {
          let set = this.held.get(d.queue);
          if (!set) this.held.set(d.queue, (set = new Set()));
          set.add(d.receipt);
        }
        return got;
      } catch (error) {
        if (!(error instanceof ConnectionLost)) {
          if (options.signal?.aborted) return [];
          throw error;
        }
        this.recover = true;
      }
    }
  }

  private async fetchOnce(queues: string[], max: number, options: FetchOptions): Promise<Delivery[]> {
    const patient = { patient: true, once: true, signal: options.signal };
    const streams = queues.map((q) => this.key('q', q));
    const deadline = Date.now() + options.waitMs;
    const reclaimEvery = Math.min(5000, Math.max(50, Math.min(this.visibilityTimeoutMs, this.consumerTimeoutMs) / 4));
    const scanned = streams.join('\n');
    for (;;) {
      const out: Delivery[] = [];
      if (this.recover) {
        this.recover = false;
        try {
          for (const [i, stream] of streams.entries()) {
            const held = [...this.held.get(queues[i]) ?? []];
            const found = await this.command((cmd) => cmd.tlRecover(1, stream, GROUP, this.consumer, max - out.length, ...held), patient) as Array<[string, Fields, number]>;
            for (const [id, fields, count] of found) out.push(this.delivery(queues[i], id, fields, count));
          }
        } catch (error) {
          this.recover = true;
          throw error;
        }
        if (out.length) return out;
      }
      const now = Date.now();
      const last = this.lastScan;
      let nextEta: number;
      // One queue, scanned lately, nothing due: straight to the blocking read, which returns at once
      // when messages wait. Then the worker's next command on the command connection is its result,
      // not a script the result would queue behind. The script still runs every SCAN_EVERY_MS.
      if (queues.length === 1 && options.waitMs > 0 && last?.streams === scanned && now < last.at + SCAN_EVERY_MS
        && (last.nextEta < 0 || now < last.nextEta) && now < this.nextReclaim) {
        nextEta = last.nextEta;
      } else {
        if (now >= this.nextReclaim) {
          this.nextReclaim = now + reclaimEvery;
          const taken = await this.command((cmd) => cmd.tlReclaim(streams.length, ...streams, GROUP, this.consumer, this.visibilityTimeoutMs, max,
            this.key('c', '')), patient) as Array<[number, string, Fields, number]>;
          for (const [i, id, fields, count] of taken) out.push(this.delivery(queues[i - 1], id, fields, count));
        }
        const reply = await this.command((cmd) => cmd.tlFetch(streams.length * 2, ...streams, ...queues.map((q) => this.key('d', q)),
          GROUP, this.consumer, max - out.length, now), patient) as unknown[];
        nextEta = reply.pop() as number;
        this.lastScan = { streams: scanned, at: now, nextEta };
        for (const [i, id, fields] of reply as Array<[number, string, Fields]>) out.push(this.delivery(queues[i - 1], id, fields));
      }
      if (out.length || options.signal?.aborted) return out;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return out;
      // Sleep in the server until a message arrives, the next eta is due or a reclaim is owed.
      let blockMs = Math.min(remaining, this.nextReclaim - Date.now());
      if (nextEta >= 0) blockMs = Math.min(blockMs, nextEta - Date.now());
      if (blockMs < 1) continue;
      const got = await this.blockingRead(streams, max, Math.ceil(blockMs), options.signal);
      if (got.length) return this.keepPreferred(queues, streams, got, max);
    }
  }

  private async blockingRead(streams: string[], max: number, blockMs: number, signal?: AbortSignal): Promise<Array<[string, Array<[string, Fields]>]>> {
    if (!this.blocking) {
      // On a cluster CLIENT ID and UNBLOCK could reach different nodes: an aborted read there
      // ends by itself within blockMs (at most the fetch's wait).
      const learnId = async (link: Link) => {
        if (this.target.kind !== 'cluster') this.blockingId = Number(await link.client.client('ID'));
      };
      const link = await this.open('blocking', () => {
        this.recover = true;
        learnId(link).catch(() => undefined);
      });
      await learnId(link);
      this.blocking = link;
    }
    const link = this.blocking;
    const unblock = () => {
      if (this.blockingId !== undefined && this.link?.up) this.link.client.client('UNBLOCK', this.blockingId).catch(() => undefined);
    };
    signal?.addEventListener('abort', unblock, { once: true });
    try {
      if (!link.up) await link.whenUp(Infinity, signal);
      const reply = await link.send(link.client.call('XREADGROUP', 'GROUP', GROUP, this.consumer, 'COUNT', max, 'BLOCK', blockMs,
        'STREAMS', ...streams, ...streams.map(() => '>'))) as Array<[string, Array<[string, Fields]>]> | null;
      return reply ?? [];
    } catch (error) {
      // The group vanished (stream deleted): the next fetch script recreates it.
      if (/NOGROUP/.test((error as Error).message)) {
        this.lastScan = undefined;
        return [];
      }
      throw error;
    } finally {
      signal?.removeEventListener('abort', unblock);
    }
  }

  /** A blocking read over several streams may return more than `max`; the surplus goes straight back. */
  private async keepPreferred(queues: string[], streams: string[], got: Array<[string, Array<[string, Fields]>]>, max: number): Promise<Delivery[]> {
    const all: Delivery[] = [];
    for (const [stream, entries] of got.sort((a, b) => streams.indexOf(a[0]) - streams.indexOf(b[0]))) {
      const queue = queues[streams.indexOf(stream)];
      for (const [id, fields] of entries) all.push(this.delivery(queue, id, fields));
    }
    if (all.length > max) await this.release(all.slice(max));
    return all.slice(0, max);
  }

  private byQueue(deliveries: Delivery[]): Map<string, Delivery[]> {
    const groups = new Map<string, Delivery[]>();
    for (const d of deliveries) {
      const list = groups.get(d.queue);
      if (list) list.push(d);
      else groups.set(d.queue, [d]);
    }
    return groups;
  }

  /** One pipeline for all: the worker batches its acks (Batcher), so this is once per batch. */
  async ack(deliveries: Delivery[]): Promise<void> {
    if (!deliveries.length) return;
    await this.outcome(deliveries, deliveries.length, (cmd) => {
      const pipeline = cmd.pipeline();
      for (const [queue, list] of this.byQueue(deliveries)) {
        const ids = list.map((d) => d.receipt);
        pipeline.xack(this.key('q', queue), GROUP, ...ids).xdel(this.key('q', queue), ...ids);
      }
      return this.exec(pipeline);
    });
  }

  private async exec(pipeline: ReturnType<Redis['pipeline']>): Promise<void> {
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  async release(deliveries: Delivery[]): Promise<void> {
    await this.outcome(deliveries, deliveries.length, (cmd) => Promise.all([...this.byQueue(deliveries)].map(([queue, list]) =>
      cmd.tlRelease(1, this.key('q', queue), GROUP, this.consumer, ...list.flatMap((d) => [d.receipt, d.deliveryCount - 1])))));
  }

  async extend(deliveries: Delivery[]): Promise<void> {
    await this.command((cmd) => Promise.all([...this.byQueue(deliveries)].map(([queue, list]) =>
      cmd.tlExtend(1, this.key('q', queue), GROUP, this.consumer, ...list.map((d) => d.receipt)))));
  }

  async deadLetter(delivery: Delivery, reason: string): Promise<void> {
    const letter: DeadLetter = { queue: delivery.queue, raw: delivery.raw, reason, ts: Date.now() };
    const stream = this.key('q', delivery.queue);
    await this.outcome([delivery], 1, (cmd) => this.exec(cmd.multi()
      .lpush(this.key('dead', 'letters'), JSON.stringify(letter))
      .ltrim(this.key('dead', 'letters'), 0, DEAD_LETTER_CAP - 1)
      .xack(stream, GROUP, delivery.receipt)
      .xdel(stream, delivery.receipt)));
  }

  async deadLetters(limit = 100): Promise<DeadLetter[]> {
    const items = await this.command((cmd) => cmd.lrange(this.key('dead', 'letters'), 0, limit - 1));
    return items.map((s) => JSON.parse(s) as DeadLetter);
  }

  async purge(queues: string[]): Promise<number> {
    const counts = await this.command((cmd) => Promise.all(queues.map((q) => cmd.tlPurge(2, this.key('q', q), this.key('d', q), GROUP) as Promise<number>)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async queueLengths(queues: string[]): Promise<Record<string, number>> {
    if (!queues.length) return {};
    const counts = await this.command((cmd) => cmd.tlLengths(queues.length * 2, ...queues.map((q) => this.key('q', q)),
      ...queues.map((q) => this.key('d', q)), GROUP)) as number[];
    return Object.fromEntries(queues.map((q, i) => [q, counts[i]]));
  }

  async holds(queues: string[], id: string): Promise<boolean> {
    if (!queues.length) return false;
    const keys = queues.flatMap((q) => [this.key('q', q), this.key('d', q)]);
    return await this.command((cmd) => cmd.tlHolds(keys.length, ...keys, `"id":${JSON.stringify(id)}`)) === 1;
  }

  /** A key per revocation (its TTL is the revocation's), published on the revocations channel in the same transaction. */
  async revoke(revocation: Revocation, ttlMs: number): Promise<void> {
    const value = JSON.stringify(revocation);
    await this.command((cmd) => this.exec(cmd.multi()
      .set(this.key('rv', revocation.id), value, 'PX', Math.max(1, Math.round(ttlMs)))
      .publish(this.key('revoked', 'all'), value)));
  }

  async revoked(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const values = await this.command((cmd) => cmd.mget(...ids.map((id) => this.key('rv', id))), { patient: true });
    return new Set(ids.filter((_, i) => values[i] !== null));
  }

  async watchRevocations(listener: (revocation: Revocation) => void, held?: () => string[]): Promise<() => Promise<void>> {
    const link = await this.subscriber();
    const stop = await this.listen(link, this.key('revoked', 'all'), (message) => listener(JSON.parse(message) as Revocation));
    if (!held) return stop;
    // Revocations published while the subscriber was down are lost: those of the held tasks are read
    // when it is back, after the channel is subscribed again on the same connection (none falls between).
    const look = () => {
      const ids = held();
      if (!ids.length) return;
      link.send(link.client.mget(...ids.map((id) => this.key('rv', id)))).then((values) => {
        for (const value of values) if (value !== null) listener(JSON.parse(value) as Revocation);
      }, (error: unknown) => ignoreLost(error).catch((lookError: Error) => this.logger.warn(`revocations of held tasks not read: ${lookError.message}`)));
    };
    this.looks.add(look);
    return async () => {
      this.looks.delete(look);
      await stop();
    };
  }

  async lastTick(schedule: string): Promise<number | undefined> {
    const value = await this.command((cmd) => cmd.get(this.key('tick', schedule)));
    return value === null ? undefined : Number(value.split(' ')[0]);
  }

  async advanceTick(schedule: string, from: number | undefined, to: number, message?: TaskMessage): Promise<boolean> {
    const raw = message && this.codec.encode(message);
    const token = randomUUID();
    const args = [from === undefined ? '' : String(from), String(to), token];
    return await this.command((cmd) => (raw
      ? cmd.tlAdvanceTick(2, this.key('tick', schedule), this.key('q', message!.queue), ...args, raw)
      : cmd.tlAdvanceTick(1, this.key('tick', schedule), ...args))) === 1;
  }

  // Not async: each result of a batch gets the batch's promise, with no promise of its own.
  storeResult(result: TaskResult, ttlMs: number): Promise<void> {
    return this.storeResults(result, ttlMs);
  }

  storeResultAndAck(result: TaskResult, ttlMs: number, delivery: Delivery): Promise<void> {
    return this.storeResults(result, ttlMs, delivery);
  }

  // Not async either: admit's refusal (too many kept) still comes as a rejected promise.
  private storeResults(result: TaskResult, ttlMs: number, delivery?: Delivery): Promise<void> {
    try {
      this.admit(delivery ? [delivery] : [], 1);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.resultBatch.add([result, Math.max(1, Math.round(ttlMs)), delivery]);
  }

  async getResult(id: string): Promise<TaskResult | undefined> {
    const value = await this.command((cmd) => cmd.get(this.key('r', id)));
    return value === null ? undefined : (JSON.parse(value) as TaskResult);
  }

  private subscriber(): Promise<Link> {
    this.sub ??= this.open('subscriber', () => {
      // Pushes sent while the connection was down are lost: subscribe again (a SUBSCRIBE that was
      // on the dropped connection was not recorded by ioredis), then look at the stored results.
      // Next tick: ioredis re-sends its own subscriptions right after 'ready'.
      process.nextTick(() => {
        void this.sub?.then((link) => {
          if (this.channels.size) link.client.subscribe(...this.channels.keys()).catch(() => undefined);
          for (const look of this.looks) look();
        });
      });
    }, 3).then((link) => {
      link.client.on('message', (channel: string, message: string) => {
        for (const listener of this.channels.get(channel) ?? []) listener(message);
      });
      return link;
    });
    this.sub.catch(() => { this.sub = undefined; });
    return this.sub;
  }

  /**
   * Subscribes to a channel; returns the unsubscribe. SUBSCRIBE is sent before this returns, so a
   * command sent next on the same connection runs after the subscription is in place.
   */
  private async listen(link: Link, channel: string, listener: (message: string) => void): Promise<() => Promise<void>> {
    const sub = link.client;
    let listeners = this.channels.get(channel);
    let subscribed: Promise<unknown> | undefined;
    if (!listeners) {
      this.channels.set(channel, (listeners = new Set()));
      // Lost with the connection: subscribed again when it is back.
      subscribed = link.send(sub.subscribe(channel)).catch(ignoreLost);
    }
    listeners.add(listener);
    await subscribed;
    return async () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.channels.get(channel) === listeners) {
        this.channels.delete(channel);
        await sub.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  async waitForResult(id: string, timeoutMs: number, signal?: AbortSignal): Promise<TaskResult | undefined> {
    const link = await this.subscriber();
    const sub = link.client;
    clearTimeout(this.replyIdle);
    this.replies ??= this.listen(link, this.replyChannel, (message) => {
      // Results of tasks nobody waits for are dropped unread: only the id is looked at.
      const waiter = this.replyWaiters.get(RESULT_ID.exec(message)?.[1] ?? (JSON.parse(message) as TaskResult).id);
      waiter?.(JSON.parse(message) as TaskResult);
    }).then((stop) => { this.stopReplies = stop; }, () => { this.replies = undefined; });
    const key = this.key('r', id);
    let settle!: (result: TaskResult | undefined) => void;
    let fail!: (error: unknown) => void;
    const outcome = new Promise<TaskResult | undefined>((resolve, reject) => { settle = resolve; fail = reject; });
    // Three ways in, whichever is first: a push on our reply channel (tasks we published since it
    // has been in place), a push on the result's own channel (any task), or the stored value (a
    // result stored before either). SUBSCRIBE then GET on one connection: nothing falls between
    // (a cluster sends GET elsewhere, so there it waits for the subscription). The look is done
    // again whenever the subscriber connection comes back.
    const previous = this.replyWaiters.get(id);
    this.replyWaiters.set(id, previous ? (result) => { previous(result); settle(result); } : settle);
    const listening = this.listen(link, key, (message) => settle(JSON.parse(message) as TaskResult));
    listening.catch(fail);
    const look = () => {
      link.send(sub.get(key)).then((value) => { if (value !== null) settle(JSON.parse(value) as TaskResult); }, (error: unknown) => ignoreLost(error).catch(fail));
    };
    this.looks.add(look);
    if (this.target.kind === 'cluster') listening.then(look, () => undefined);
    else look();
    const timer = setTimeout(settle, Math.max(0, timeoutMs), undefined);
    const onAbort = () => settle(undefined);
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await outcome;
    } finally {
      clearTimeout(timer);
      this.looks.delete(look);
      signal?.removeEventListener('abort', onAbort);
      if (previous) this.replyWaiters.set(id, previous);
      else this.replyWaiters.delete(id);
      if (!this.replyWaiters.size) {
        this.replyIdle = setTimeout(this.dropReplies, REPLY_IDLE_MS);
        this.replyIdle.unref();
      }
      // Not awaited: the caller has its result, and a later SUBSCRIBE on this connection is queued
      // behind the UNSUBSCRIBE anyway (stop() forgets the listener at once and never rejects).
      listening.then((stop) => stop(), () => undefined);
    }
  }

  emit(event: TaskEvent): Promise<void> {
    return this.eventBatch.add(JSON.stringify(event));
  }

  /** A message on the events channel is one event, or an array of events sent together. */
  async subscribe(listener: (event: TaskEvent) => void): Promise<() => Promise<void>> {
    const unsubscribe = await this.listen(await this.subscriber(), this.key('events', 'all'), (message) => {
      const parsed = JSON.parse(message) as TaskEvent | TaskEvent[];
      for (const event of Array.isArray(parsed) ? parsed : [parsed]) listener(event);
    });
    // Workers that had nobody to tell turn their task events back on (watchListeners).
    await this.command((cmd) => cmd.publish(this.key('events', 'listeners'), 'joined'));
    return unsubscribe;
  }

  async watchListeners(onChange: (listening: boolean) => void): Promise<() => Promise<void>> {
    const channel = this.key('events', 'all');
    const stopListening = await this.listen(await this.subscriber(), this.key('events', 'listeners'), () => onChange(true));
    const count = async () => {
      // A pattern subscription anywhere on the server may match the channel: counted as listening.
      // A cluster's nodes count only their own subscribers: all of them are asked.
      const counts = await this.command((cmd) => Promise.all(
        (clusterOf(cmd)?.nodes('all') ?? [cmd]).flatMap((server) => [
          (server.pubsub('NUMSUB', channel) as Promise<[string, number]>).then(([, n]) => Number(n)),
          (server.pubsub('NUMPAT') as Promise<unknown>).then(Number),
        ])));
      onChange(counts.some((n) => n > 0));
    };
    await count();
    // Leaving is not announced (a subscriber may just die): counted again every few seconds.
    const timer = setInterval(() => { count().catch(() => onChange(true)); }, LISTENERS_RECOUNT_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await stopListening();
    };
  }

  /** Control messages on a channel of their own: workers listening to it never count as event subscribers. */
  async control(message: ControlMessage): Promise<void> {
    await this.command((cmd) => cmd.publish(this.key('control', 'all'), JSON.stringify(message)));
  }

  async onControl(listener: (message: ControlMessage) => void): Promise<() => Promise<void>> {
    return this.listen(await this.subscriber(), this.key('control', 'all'), (message) => listener(JSON.parse(message) as ControlMessage));
  }

  /** Per task a list of "cpuMs wallMs", newest first, cut to the window; the set names the tasks. One pipeline per batch. */
  async recordRuns(batch: TaskRuns[]): Promise<void> {
    if (!batch.length) return;
    await this.command((cmd) => {
      const pipeline = cmd.pipeline().sadd(this.key('measured', 'tasks'), ...batch.map((t) => t.task));
      for (const { task, runs } of batch) {
        pipeline.lpush(this.key('measured', task), ...runs.map((run) => `${run.cpuMs} ${run.wallMs}`))
          .ltrim(this.key('measured', task), 0, MEASURED_RUNS_KEPT - 1);
      }
      return this.exec(pipeline);
    });
  }

  async measuredRuns(): Promise<TaskRuns[]> {
    return this.command(async (cmd) => {
      const tasks = await cmd.smembers(this.key('measured', 'tasks'));
      const lists = await Promise.all(tasks.map((task) => cmd.lrange(this.key('measured', task), 0, -1)));
      return tasks.map((task, i) => ({
        task,
        runs: lists[i].map((entry) => {
          const [cpuMs, wallMs] = entry.split(' ').map(Number);
          return { cpuMs, wallMs };
        }),
      }));
    });
  }

  async setWorker(info: WorkerInfo, ttlMs: number): Promise<void> {
    const ttl = Math.max(1, Math.round(ttlMs));
    await this.command((cmd) => this.exec(cmd.pipeline()
      .set(this.key('w', info.name), JSON.stringify(info), 'PX', ttl)
      .zadd(this.key('workers', 'index'), Date.now() + ttl, info.name)));
  }

  async removeWorker(name: string): Promise<void> {
    await this.command((cmd) => this.exec(cmd.pipeline().del(this.key('w', name)).zrem(this.key('workers', 'index'), name)));
  }

  async workers(): Promise<WorkerInfo[]> {
    const index = this.key('workers', 'index');
    const values = await this.command(async (cmd) => {
      await cmd.zremrangebyscore(index, '-inf', Date.now());
      const names = await cmd.zrange(index, '0', '-1');
      return names.length ? cmd.mget(...names.map((n) => this.key('w', n))) : ([] as Array<string | null>);
    });
    return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as WorkerInfo);
  }
}
