import type { Logger } from '../logger.ts';
import type { ControlMessage, DeadLetter, Revocation, TaskEvent, TaskMessage, TaskResult, TaskRuns, WorkerInfo } from '../protocol.ts';
import type { Decoded } from './codec.ts';

/**
 * One reserved message. Until it is acked it is redelivered after the visibility timeout. Its
 * `message`, or (undefined message) the `problem` that stops it from running: see codec.ts.
 */
export type Delivery = Decoded & {
  queue: string;
  /** The raw payload. */
  raw: string;
  /** 1 on first delivery, more after redeliveries (dead worker, visibility timeout). */
  deliveryCount: number;
  /** The broker's handle on this reservation (stream id, lease file); opaque to everyone else. */
  receipt: string;
  /** redis: the producer's reply channel, where its result is pushed too (opaque to the worker). */
  replyTo?: string;
  /** Set by a broker whose fetch checks revocations (`Broker.fetchMarksRevoked`): the task was revoked. */
  revoked?: boolean;
};

/**
 * Settings every broker understands; each can also be given in the URL's query string
 * (`?visibilityTimeout=30s&consumerTimeout=10s`), the options object winning.
 */
export interface BrokerOptions {
  /**
   * How long a fetched, unacknowledged message stays reserved to a live consumer before it is
   * delivered again (default 30 minutes, Celery's order of magnitude; `extend` renews it).
   */
  visibilityTimeoutMs?: number;
  /**
   * A consumer that died (process gone: file; no liveness refresh for this long: redis) has its
   * reserved messages delivered again without waiting for the visibility timeout (default 30 s).
   */
  consumerTimeoutMs?: number;
  /**
   * The largest message in bytes (its JSON): producers are refused larger ones with an error,
   * workers dead-letter larger ones they find (default 1 MiB, DEFAULT_MAX_PAYLOAD_BYTES).
   */
  maxPayloadBytes?: number;
  /** redis: key prefix (default "tasklane"); use a hash tag such as "{tasklane}" on Redis Cluster. */
  prefix?: string;
  /** redis: how long to wait for the server before failing with a clear error (default 5 s). */
  connectTimeoutMs?: number;
  /** redis: extra ioredis options (TLS, `sentinelPassword`, …), merged over the URL's. */
  redis?: Record<string, unknown>;
  /**
   * redis: how many task outcomes (results, acks) a worker keeps while Redis is unreachable, to
   * store them when it is back (default 10000); past that they are given up and run again.
   */
  maxKeptOutcomes?: number;
  /** Where the broker says what it does about an outage (default: stdout, scope "broker"). */
  logger?: Logger;
}

/** A chord member finishing: which chord, which member, of how many. */
export interface ChordMember {
  id: string;
  index: number;
  size: number;
}

export interface FetchOptions {
  /** Wait up to this long for at least one message; 0 returns at once. */
  waitMs: number;
  signal?: AbortSignal;
}

/**
 * A broker carries task messages, results and events. One implementation per file:
 * memory.ts (one process), file.ts (embedded, several processes, no server), redis.ts (ioredis).
 */
export interface Broker {
  /** The URL with any password removed: safe to log. */
  readonly displayUrl: string;
  connect(): Promise<void>;
  close(): Promise<void>;

  /**
   * Enqueue; a message with a future `eta` becomes visible only then. Higher `priority` is fetched
   * first (memory: any number; file: 0–255; redis: four levels, the lowest not starved: redis-lanes.ts).
   */
  publish(message: TaskMessage): Promise<void>;
  /** Enqueue an arbitrary payload, unchecked (tests of bad messages; other producers): workers screen it. */
  publishRaw(queue: string, raw: string): Promise<void>;
  /** Reserve up to `max` ready messages from `queues` (in order of preference). */
  fetch(queues: string[], max: number, options: FetchOptions): Promise<Delivery[]>;
  /** Acknowledge finished deliveries (batched where the broker can). */
  ack(deliveries: Delivery[]): Promise<void>;
  /** Give reserved, unstarted deliveries back at once (warm shutdown). */
  release(deliveries: Delivery[]): Promise<void>;
  /** Keep long-running deliveries reserved (extends their visibility timeout). */
  extend(deliveries: Delivery[]): Promise<void>;
  /** Move a delivery to the dead-letter queue with the reason, acking it. */
  deadLetter(delivery: Delivery, reason: string): Promise<void>;
  /** The most recent dead letters, newest first (default limit 100). */
  deadLetters(limit?: number): Promise<DeadLetter[]>;
  /** Drop every waiting (ready or delayed, not reserved) message in the queues; returns how many. */
  purge(queues: string[]): Promise<number>;
  /** Waiting (ready or delayed, not reserved) messages per queue. */
  queueLengths(queues: string[]): Promise<Record<string, number>>;
  /** Whether a message with this task id waits or is reserved in one of `queues` (a scan: for commands, not workers). */
  holds(queues: string[], id: string): Promise<boolean>;

  /**
   * Records a revocation for `ttlMs` (workers check it before they start a delivery, so a restarted
   * worker honours it too) and tells the live workers at once (watchRevocations).
   */
  revoke(revocation: Revocation, ttlMs: number): Promise<void>;
  /** Which of these task ids are revoked now. */
  revoked(ids: string[]): Promise<Set<string>>;
  /**
   * True when `fetch` marks revoked deliveries itself (`Delivery.revoked`), so the worker need not
   * ask `revoked()` after every fetch (redis: without a round trip while no revocation is made).
   */
  readonly fetchMarksRevoked?: boolean;
  /**
   * Revocations as they are made, for the tasks a worker holds; returns a stop function. A broker
   * whose pushes can be lost (Redis, while its connection is down) reads the revocations of the
   * `held` task ids again once it is back, and hands those found to the listener (again, maybe).
   */
  watchRevocations(listener: (revocation: Revocation) => void, held?: () => string[]): Promise<() => Promise<void>>;

  /**
   * Publishes a workflow's step unless a message with its id was published this way before (within
   * `ttlMs`): a step whose parent ran twice is sent once (redis: a marker and the add in one script;
   * memory: a set; file: the mark and the message in one LMDB transaction). `again`: the parent's
   * outcome was stored by an earlier delivery (redis: a repeated call after a lost reply).
   */
  publishOnce(message: TaskMessage, ttlMs: number, again?: boolean): Promise<void>;
  /**
   * Counts member `index` of chord `id` once, however often it is delivered, and publishes
   * `callback` when this count completes the chord's `size`: exactly once (redis: in the same
   * script; memory and file: the marker that completes it is made once). Kept for `ttlMs`.
   */
  joinChord(chord: ChordMember, callback: TaskMessage, ttlMs: number, again?: boolean): Promise<void>;
  /** Periodic tasks: the last tick (epoch ms) recorded for `schedule`, undefined before its first. */
  lastTick(schedule: string): Promise<number | undefined>;
  /**
   * Records `to` as the last tick of `schedule` if it still is `from` (undefined: none yet), a
   * compare-and-set: of several schedulers trying the same step exactly one gets true. With a
   * `message` (the tick's task, without an eta), that one also publishes it in the same atomic
   * step (redis: one script; file: one LMDB transaction; memory: one turn).
   */
  advanceTick(schedule: string, from: number | undefined, to: number, message?: TaskMessage): Promise<boolean>;

  storeResult(result: TaskResult, ttlMs: number): Promise<void>;
  /**
   * storeResult, then ack the delivery, in one round trip (redis: one script, so the ack never
   * lands without the result). Optional: without it the worker stores, then acks in a batch.
   */
  storeResultAndAck?(result: TaskResult, ttlMs: number, delivery: Delivery): Promise<void>;
  getResult(id: string): Promise<TaskResult | undefined>;
  /** Resolves when the result exists (pushed where the broker can), or undefined on timeout. */
  waitForResult(id: string, timeoutMs: number, signal?: AbortSignal): Promise<TaskResult | undefined>;

  emit(event: TaskEvent): Promise<void>;
  /** Live events; returns an unsubscribe function. */
  subscribe(listener: (event: TaskEvent) => void): Promise<() => Promise<void>>;
  /**
   * Tells whether anyone subscribes to events now, and again whenever that may have changed (a
   * subscriber joins: at once; the last one leaves: within seconds). Optional: a broker without it
   * gets every event. Workers send per-task events only while someone listens, as serialising
   * three events nobody reads is a large part of a small task's cost. Returns a stop function.
   */
  watchListeners?(onChange: (listening: boolean) => void): Promise<() => Promise<void>>;
  /** Remote control (`tasklane control`): sends a request to the workers, or a worker's reply. */
  control(message: ControlMessage): Promise<void>;
  /** Control messages sent from now on (requests and replies alike); returns a stop function. */
  onControl(listener: (message: ControlMessage) => void): Promise<() => Promise<void>>;
  /**
   * Adds executions' measured costs (each task's runs oldest first) to what the broker keeps: the
   * most recent MEASURED_RUNS_KEPT per task, from every worker, with no expiry. Workers call it
   * once per heartbeat with what ran since, never per task.
   */
  recordRuns(batch: TaskRuns[]): Promise<void>;
  /** Every task's kept runs, newest first. */
  measuredRuns(): Promise<TaskRuns[]>;
  /** A worker's snapshot, kept for `ttlMs` (heartbeats refresh it). */
  setWorker(info: WorkerInfo, ttlMs: number): Promise<void>;
  removeWorker(name: string): Promise<void>;
  workers(): Promise<WorkerInfo[]>;
}
