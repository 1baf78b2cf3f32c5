// The worker: fetches task messages from its queues, runs them in one execution pool, stores the
// results and acknowledges. At-least-once: with ackLate (the default) a message is acked only after
// its outcome is stored or its retry republished, so a worker killed mid-task loses nothing.
import { hostname } from 'node:os';
import type { Broker, Delivery } from '../broker/broker.ts';
import { toMs } from '../duration.ts';
import { formatMs, Logger } from '../logger.ts';
import { loadApp } from '../loader.ts';
import { RunRecorder } from '../measured.ts';
import { defaultPrefetch } from '../pool/defaults.ts';
import { createPool } from '../pool/index.ts';
import type { ExecutionOutcome, Invocation, Pool } from '../pool/pool.ts';
import type { PoolKind, Revocation, SerializedError, TaskEvent, TaskMessage, TaskProgress, TaskResult, WorkerInfo } from '../protocol.ts';
import { findTask, taskNames, type TaskDefinition } from '../registry.ts';
import { DEFAULT_QUEUE } from '../routing.ts';
import { Autoscaler, type AutoscaleRange } from './autoscale.ts';
import { retryDelayMs } from './backoff.ts';
import { Batcher } from './batcher.ts';
import { listenForControl } from './control.ts';
import { continueFlow, join } from './flow.ts';
import { parseRateLimit, RateLimiter } from './rate-limit.ts';

export interface WorkerOptions {
  /** Connected or not; the worker connects it and, when `ownsBroker`, closes it at the end. */
  broker: Broker;
  ownsBroker?: boolean;
  pool: PoolKind;
  /** Default: the pool's (cores for prefork/threads, 100 for async, 1 for solo). */
  concurrency?: number;
  /** Size the pool between min (its start) and max by demand (autoscale.ts); instead of `concurrency`. */
  autoscale?: AutoscaleRange;
  queues?: string[];
  /** Module that registers the tasks: loaded here (to know the names) and by every pool. Optional for solo/async: the tasks registered in this process. */
  app?: string;
  name?: string;
  /** Messages reserved beyond the free slots: bounded (default 1; async: its concurrency up to 1,000, see defaultPrefetch). */
  prefetch?: number;
  maxTasksPerChild?: number;
  /** Megabytes. */
  maxMemoryPerChild?: number;
  /** A message delivered more often than this is dead-lettered (default 5). */
  maxDeliveries?: number;
  /** How long results are kept (default 1 day). */
  resultTtlMs?: number;
  /** Keep no result of a success, unless the message or task says `ignoreResult: false` (failures are kept). */
  ignoreResult?: boolean;
  heartbeatMs?: number;
  /** How often reservations of running tasks are renewed (broker.extend), default 60 s. */
  extendIntervalMs?: number;
  /** How long one fetch waits for messages before looping (default 1 s). */
  fetchWaitMs?: number;
  /** Send task events even while nobody subscribes (Celery's -E); otherwise only while someone does. */
  taskEvents?: boolean;
  logger?: Logger;
}

interface Running {
  delivery: Delivery;
  message: TaskMessage;
  definition: TaskDefinition;
  startedAt: number;
  /** Settled once the outcome is stored and the delivery acked (or left for redelivery). */
  done: Promise<void>;
  /** Set when a revoke reached it while it ran: a failed end is then stored as REVOKED. */
  revoked?: Revocation;
  /** Out of the pool: progress reports arriving late (a thread's broadcast) are dropped, the last one came with the outcome. */
  ended?: boolean;
}

const DAY_MS = 86_400_000;

/** Unique per live process across hosts, as `inspect` lists workers by name. */
export function defaultWorkerName(): string {
  return `${process.pid}@${hostname()}`;
}

function crashError(outcome: ExecutionOutcome): SerializedError {
  switch (outcome.crash) {
    case 'time-limit': return { name: 'TimeLimitExceeded', message: 'hard time limit exceeded: the executor was killed and replaced' };
    case 'memory': return { name: 'MemoryLimitExceeded', message: 'the executor exceeded maxMemoryPerChild and was replaced' };
    default: return { name: 'WorkerLostError', message: 'the executor running the task died (process or thread exited)' };
  }
}

function cpuShare(outcome: ExecutionOutcome): string {
  return outcome.wallMs > 0 ? ` (cpu ${Math.round((100 * outcome.cpuMs) / outcome.wallMs)}%)` : '';
}

function errorLine(error: SerializedError): string {
  return `${error.name}: ${error.message}`;
}

export class Worker {
  readonly name: string;
  readonly queues: string[];
  readonly kind: PoolKind;
  private pool: Pool | undefined;
  private readonly logger: Logger;
  private readonly limiter = new RateLimiter();
  /** Rate limits set by `tasklane control rate-limit`, over the tasks' own ("" for none). */
  private readonly rateLimits = new Map<string, string>();
  private stopControl: (() => Promise<void>) | undefined;
  private readonly acks: Batcher<Delivery>;
  private readonly waiting: Delivery[] = [];
  /** Started and not yet settled (executing, or storing its outcome): their deliveries are held. */
  private readonly running = new Map<string, Running>();
  /** Runs measured since the last heartbeat, handed to the broker with it. */
  private readonly measured = new RunRecorder();
  /** Tasks in the pool now: what the slots count (a task storing its outcome no longer holds one). */
  private executing = 0;
  private readonly fetchAbort = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private rateTimer: NodeJS.Timeout | undefined;
  private lastEventSend: Promise<void> | undefined;
  /** Whether anyone listens to events (Broker.watchListeners); task events are skipped while not. */
  private taskEvents = true;
  private stopWatching: (() => Promise<void>) | undefined;
  private stopRevocations: (() => Promise<void>) | undefined;
  private autoscaler: Autoscaler | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private state: 'new' | 'running' | 'warm' | 'cold' | 'stopped' = 'new';
  /** Set by a cold stop, for good: outcomes arriving after it (killed tasks) are left unacked. */
  private cold = false;
  private startedAt = 0;
  private processed = 0;
  private failed = 0;
  private stopped: Promise<void> | undefined;
  private markEnded!: () => void;
  private readonly ended = new Promise<void>((resolve) => { this.markEnded = resolve; });

  constructor(private readonly options: WorkerOptions) {
    this.kind = options.pool;
    this.queues = options.queues?.length ? options.queues : [DEFAULT_QUEUE];
    this.name = options.name ?? defaultWorkerName();
    this.logger = options.logger ?? new Logger(`worker ${this.name}`);
    this.acks = new Batcher((deliveries) => options.broker.ack(deliveries));
  }

  get concurrency(): number {
    return this.pool?.concurrency ?? this.options.autoscale?.min ?? this.options.concurrency ?? 1;
  }

  /** Tasks running and reserved here (waiting for a slot): what the autoscaler sizes the pool to. */
  demand(): number {
    return this.executing + this.waiting.length;
  }

  /** Tasks the pool takes now: its concurrency, and what it queues where tasks run back to back. */
  private get capacity(): number {
    return this.concurrency + (this.pool?.pipelineRoom ?? 0);
  }

  info(): WorkerInfo {
    return {
      name: this.name,
      hostname: hostname(),
      pid: process.pid,
      pool: this.kind,
      concurrency: this.concurrency,
      queues: this.queues,
      startedAt: this.startedAt,
      processed: this.processed,
      failed: this.failed,
      active: [...this.running.values()].map((r) => ({ id: r.message.id, task: r.message.task, startedAt: r.startedAt })),
      registered: taskNames(),
      poolStats: this.pool?.stats(),
      ...(this.options.autoscale && { autoscale: { min: this.options.autoscale.min, max: this.options.autoscale.max } }),
    };
  }

  /** Sets how many tasks run at once (`control pool grow|shrink`); the pool says why it cannot. */
  async resize(size: number): Promise<void> {
    if (!this.pool) throw new Error(`worker ${this.name} has not started`);
    await this.pool.resize(size);
    this.logger.info(`pool ${this.kind} resized to ${this.pool.concurrency}`);
    this.pump();
    await this.announce();
  }

  /** Overrides a task's rate limit on this worker ("10/s"; "0" removes any limit). */
  setRateLimit(task: string, limit: string): void {
    if (!findTask(task)) throw new Error(`unknown task "${task}" (registered here: ${taskNames().join(', ') || 'none'})`);
    if (limit !== '0') parseRateLimit(limit);
    this.rateLimits.set(task, limit === '0' ? '' : limit);
    this.pump();
  }

  /** Refreshes the snapshot `inspect` reads, now rather than at the next heartbeat. */
  private announce(): Promise<void> {
    const heartbeatMs = this.options.heartbeatMs ?? 2000;
    return this.options.broker.setWorker(this.info(), heartbeatMs * 3).catch((error: Error) => this.logger.warn(`broker: ${error.message}`));
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`worker ${this.name} was already started`);
    this.state = 'running';
    const { broker } = this.options;
    await broker.connect();
    if (!this.options.taskEvents) this.stopWatching = await broker.watchListeners?.((listening) => { this.taskEvents = listening; });
    // A revoke pushed while the link was down reaches the tasks held here once it is back.
    const held = () => [...this.waiting.map((d) => d.message!.id), ...this.running.keys()];
    this.stopRevocations = await broker.watchRevocations((revocation) => this.revoked(revocation), held);
    if (this.options.app) await loadApp(this.options.app);
    const pool = createPool(this.kind, {
      concurrency: this.options.autoscale?.min ?? this.options.concurrency,
      appPath: this.options.app,
      maxTasksPerChild: this.options.maxTasksPerChild,
      maxMemoryPerChild: this.options.maxMemoryPerChild,
      onProgress: (id, progress) => this.progressed(this.running.get(id), progress),
      log: this.logger,
    });
    this.pool = pool;
    await pool.start();
    this.startedAt = Date.now();
    const heartbeatMs = this.options.heartbeatMs ?? 2000;
    this.stopControl = await listenForControl(this, broker, this.logger);
    await broker.setWorker(this.info(), heartbeatMs * 3);
    this.emit({ type: 'worker-online', info: this.info() });
    this.every(heartbeatMs, async () => {
      // Before the heartbeat event: an editor that re-reads the runs on a heartbeat finds them. Runs
      // the broker refused are given up (they are a sample): the heartbeat goes on.
      await this.handOverRuns();
      const info = this.info();
      await broker.setWorker(info, heartbeatMs * 3);
      await broker.emit({ type: 'worker-heartbeat', ts: Date.now(), worker: this.name, info });
    });
    this.every(this.options.extendIntervalMs ?? 60_000, async () => {
      const held = [...this.waiting, ...[...this.running.values()].map((r) => r.delivery)];
      if (held.length) await broker.extend(held);
    });
    if (this.options.autoscale) {
      this.autoscaler = new Autoscaler(this.options.autoscale, this, (error) => this.logger.warn(`autoscale: ${error.message}`));
      this.autoscaler.start();
    }
    const range = this.options.autoscale && ` (autoscale ${this.options.autoscale.min}-${this.options.autoscale.max})`;
    this.logger.info(`online: pool ${this.kind} x ${this.concurrency}${range ?? ''}, queues ${this.queues.join(', ')}, broker ${broker.displayUrl}`);
    this.loop = this.fetchLoop();
  }

  /** Resolves once the worker has stopped, whoever stopped it. */
  finished(): Promise<void> {
    return this.ended;
  }

  /**
   * Warm (graceful): stop fetching, give back prefetched messages, finish running tasks.
   * Cold: also kill running tasks now; they stay unacked and come back after the visibility timeout.
   * A cold stop during a warm one turns it cold.
   */
  stop(options: { graceful: boolean } = { graceful: true }): Promise<void> {
    if (!options.graceful && this.state !== 'cold' && this.state !== 'stopped') {
      this.state = 'cold';
      this.cold = true;
      this.stopped = this.shutdown();
      return this.stopped;
    }
    if (this.state === 'running' || this.state === 'new') {
      this.state = 'warm';
      this.stopped = this.shutdown();
    }
    return this.stopped ?? Promise.resolve();
  }

  private async shutdown(): Promise<void> {
    const { cold } = this;
    const { broker } = this.options;
    this.fetchAbort.abort();
    this.wake?.();
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.rateTimer);
    await this.autoscaler?.stop();
    await this.loop;
    const unstarted = this.waiting.splice(0);
    if (unstarted.length) {
      await broker.release(unstarted);
      this.logger.info(`returned ${unstarted.length} prefetched task(s) to the broker`);
    }
    if (cold) {
      this.logger.warn(`cold shutdown: killing ${this.running.size} running task(s); they will be delivered again`);
      await this.pool?.close({ graceful: false });
    } else {
      if (this.running.size) this.logger.info(`warm shutdown: waiting for ${this.running.size} running task(s)`);
      await Promise.all([...this.running.values()].map((r) => r.done));
      if (this.cold) return; // turned cold while waiting; that shutdown finishes the job
      await this.pool?.close({ graceful: true });
    }
    await this.stopWatching?.().catch(() => {});
    await this.stopRevocations?.().catch(() => {});
    await this.stopControl?.().catch(() => {});
    await this.handOverRuns();
    await broker.removeWorker(this.name).catch(() => {});
    await broker.emit({ type: 'worker-offline', ts: Date.now(), worker: this.name }).catch(() => {});
    this.logger.info(`offline: ${this.processed} task(s) processed, ${this.failed} failed`);
    if (this.options.ownsBroker) await broker.close();
    this.state = 'stopped';
    this.markEnded();
  }

  private async handOverRuns(): Promise<void> {
    const batch = this.measured.take();
    if (batch.length) await this.options.broker.recordRuns(batch).catch((error: Error) => this.logger.warn(`broker: measured runs not recorded: ${error.message}`));
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const timer = setInterval(() => {
      fn().catch((error: Error) => this.logger.warn(`broker: ${error.message}`));
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /**
   * Events are for observers: never let one stall or fail a task. `ts` (now, unless given) and
   * `worker` are filled in here, on the caller's fresh object rather than a copy of it.
   */
  private emit(event: Omit<TaskEvent, 'ts' | 'worker'> & { ts?: number }): void {
    if (!this.taskEvents && event.type.startsWith('task-')) return;
    const full = event as TaskEvent;
    full.ts ??= Date.now();
    full.worker = this.name;
    const sent = this.options.broker.emit(full);
    // A broker that batches events gives every event of a batch the same promise: one handler each.
    if (sent !== this.lastEventSend) {
      this.lastEventSend = sent;
      sent.catch(this.eventNotSent);
    }
  }

  private readonly eventNotSent = (error: Error): void => this.logger.debug(`event not sent: ${error.message}`);

  private async fetchLoop(): Promise<void> {
    const { broker } = this.options;
    while (this.state === 'running') {
      const prefetch = this.options.prefetch ?? defaultPrefetch(this.kind, this.concurrency);
      // Autoscaling, it reserves up to its max (as Celery's prefetch follows max concurrency): the
      // backlog it grows for is then in `waiting`, where it can see it.
      const slots = Math.max(this.capacity, this.options.autoscale?.max ?? 0);
      const room = slots - this.executing + prefetch - this.waiting.length;
      // While every slot is busy, the prefetched messages are refilled half a prefetch at a time,
      // not one per finished task: a fetch per task is a broker round trip (a claim transaction
      // on file://) per task when waits end in bursts. A free slot is filled at once.
      if (room <= 0 || (this.executing >= slots && room < Math.ceil(prefetch / 2))) {
        await new Promise<void>((resolve) => { this.wake = resolve; });
        continue;
      }
      let deliveries: Delivery[];
      let revoked: Set<string> | undefined;
      try {
        deliveries = await broker.fetch(this.queues, room, { waitMs: this.options.fetchWaitMs ?? 1000, signal: this.fetchAbort.signal });
        // Revocations made while no worker listened (or this one was down) are on the broker.
        if (!broker.fetchMarksRevoked && deliveries.length) revoked = await broker.revoked(deliveries.flatMap((d) => (d.message ? [d.message.id] : [])));
      } catch (error) {
        if (this.state !== 'running') break;
        this.logger.error(`fetch from ${broker.displayUrl} failed: ${(error as Error).message}; retrying in 1s`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (this.state !== 'running') {
        if (deliveries.length) await broker.release(deliveries);
        break;
      }
      const screening: Array<Promise<void>> = [];
      for (const delivery of deliveries) {
        let pending: Promise<void> | undefined;
        try {
          pending = this.accept(delivery, revoked);
        } catch (error) {
          pending = Promise.reject(error);
        }
        if (pending) {
          screening.push(pending.catch((error: Error) => {
            // Left unacked: the broker delivers it again after the visibility timeout.
            this.logger.error(`could not screen a message from queue "${delivery.queue}": ${error.message}; it will be delivered again`);
          }));
        }
      }
      if (screening.length) await Promise.all(screening);
      this.pump();
    }
  }

  /**
   * Screens a delivery: poison goes to the dead-letter queue, revoked and expired ones are stored
   * as REVOKED, the rest wait for a slot. Returns a promise only when it had to talk to the broker
   * (the rare cases).
   */
  private accept(delivery: Delivery, revoked: Set<string> | undefined): Promise<void> | undefined {
    if (!delivery.message) {
      const { error } = delivery.problem;
      return this.deadLetter(delivery, { name: error.name, message: `message on queue "${delivery.queue}" is ${error.message}` });
    }
    const msg = delivery.message;
    const maxDeliveries = this.options.maxDeliveries ?? 5;
    if (!findTask(msg.task)) {
      const known = taskNames();
      return this.deadLetter(delivery, { name: 'UnknownTask', message: `unknown task "${msg.task}" (registered here: ${known.length ? known.join(', ') : 'none'})` });
    }
    if (delivery.deliveryCount > maxDeliveries) {
      return this.deadLetter(delivery, { name: 'TooManyDeliveries', message: `delivered ${delivery.deliveryCount} times, more than maxDeliveries (${maxDeliveries}): it may be crashing its worker` });
    }
    if (delivery.revoked || revoked?.has(msg.id)) return this.revoke(delivery, msg, 'revoked before it started', 'task-revoked');
    if (msg.expires !== undefined && msg.expires < Date.now()) {
      return this.revoke(delivery, msg, `expired at ${new Date(msg.expires).toISOString()} before it started`, 'task-failed');
    }
    if (msg.flow) return this.resume(delivery, msg);
    return this.receive(delivery, msg);
  }

  private receive(delivery: Delivery, msg: TaskMessage): Promise<void> | undefined {
    // The raw text serves a dead letter, decided above; from here the parsed message is what runs,
    // and thousands of tasks in flight would each keep their message twice.
    delivery.raw = '';
    this.emit({ type: 'task-received', id: msg.id, task: msg.task, queue: msg.queue, args: msg.args, retries: msg.retries });
    this.logger.task('info', 'received', msg.task, msg.id);
    if (findTask(msg.task)!.options.ackLate === false) return this.acks.add(delivery).then(() => { this.waiting.push(delivery); });
    this.waiting.push(delivery);
    return undefined;
  }

  /**
   * A step of a workflow: run only if its id has no outcome yet. One that has was run by an earlier
   * delivery (its worker died before acking, or the step was sent twice): what follows it is done
   * again (sending nothing twice) and it is acked. A chord callback gets its members' results here.
   */
  private async resume(delivery: Delivery, msg: TaskMessage): Promise<void> {
    const { broker } = this.options;
    const stored = await broker.getResult(msg.id);
    if (stored) {
      await continueFlow(broker, msg, stored, this.resultTtlMs, true);
      await this.acks.add(delivery);
      this.logger.task('info', 'dropped', msg.task, msg.id, () => `: a duplicate delivery, it ended before (${stored.state})`);
      return;
    }
    const failed = await join(broker, msg);
    if (failed) {
      await this.storeAndAck(delivery, msg, { id: msg.id, task: msg.task, state: 'FAILURE', error: failed, finishedAt: Date.now(), worker: this.name, pool: this.kind });
      this.failed++;
      this.emit({ type: 'task-failed', id: msg.id, task: msg.task, queue: msg.queue, error: failed });
      this.logger.task('error', 'failed', msg.task, msg.id, () => `: ${errorLine(failed)}`);
      return;
    }
    await this.receive(delivery, msg);
  }

  /**
   * Moves a message that cannot run to the dead-letter queue. Its caller is told first: a FAILURE
   * result (when the id can be read), so get() and `call --wait` end instead of waiting forever.
   * A result already there (an earlier delivery finished, its ack was lost) is kept.
   */
  private async deadLetter(delivery: Delivery, why: SerializedError): Promise<void> {
    const { broker } = this.options;
    const reason = why.message;
    const id = delivery.message?.id ?? delivery.problem?.id;
    const task = delivery.message?.task ?? delivery.problem?.task;
    if (id !== undefined && !(await broker.getResult(id))) {
      const error = { name: why.name, message: `${reason}; it was moved to the dead-letter queue without running` };
      const result: TaskResult = { id, task: task ?? '?', state: 'FAILURE', error, finishedAt: Date.now(), worker: this.name, pool: this.kind };
      await broker.storeResult(result, this.resultTtlMs);
      if (delivery.message) await continueFlow(broker, delivery.message, result, this.resultTtlMs);
    }
    await broker.deadLetter(delivery, reason);
    this.failed++;
    this.emit({ type: 'task-dead-lettered', id, task, queue: delivery.queue, reason });
    this.logger.task('warn', 'dead-lettered', task ?? '?', id ?? '------', () => `: ${reason}`);
  }

  /** Stores a REVOKED result (revoked, or expired: reported as failed, as before revokes existed). */
  private async revoke(delivery: Delivery, message: TaskMessage, reason: string, type: 'task-revoked' | 'task-failed', outcome?: ExecutionOutcome): Promise<void> {
    const error = { name: 'TaskRevoked', message: reason };
    await this.storeAndAck(delivery, message, { id: message.id, task: message.task, state: 'REVOKED', error, wallMs: outcome?.wallMs, cpuMs: outcome?.cpuMs, finishedAt: Date.now(), worker: this.name, pool: this.kind });
    this.emit({ type, id: message.id, task: message.task, queue: message.queue, error, reason });
    this.logger.task('warn', 'revoked', message.task, message.id, () => `: ${reason}`);
  }

  /**
   * A revocation made now: a task waiting here is dropped (REVOKED), a running one is aborted
   * through its signal or, with terminate, killed (prefork, threads). Tasks elsewhere are left to
   * the worker that holds them, or to the check at fetch.
   */
  private revoked(revocation: Revocation): void {
    const { id, terminate } = revocation;
    const index = this.waiting.findIndex((d) => d.message!.id === id);
    if (index >= 0) {
      const [delivery] = this.waiting.splice(index, 1);
      this.revoke(delivery, delivery.message!, 'revoked before it started', 'task-revoked').catch((error: Error) => {
        this.logger.error(`could not store the revoke of task ${delivery.message!.task}[${id.slice(0, 6)}]: ${error.message}; it will be delivered again and refused then`);
      });
      this.pump();
      return;
    }
    const entry = this.running.get(id);
    if (!entry || entry.revoked) return;
    const reason = Object.assign(new Error(`task ${entry.message.task}[${id}] was revoked`), { name: 'TaskRevoked' });
    if (this.pool!.abort(id, reason, terminate)) entry.revoked = revocation;
  }

  /** Starts waiting tasks while slots are free, honouring rate limits. */
  private pump(): void {
    if (this.cold) return;
    let soonest = Infinity;
    // One clock reading for the rate limiter and the start times: a start is stamped when the
    // limiter let it go, so starts of a rate-limited task are exactly its interval apart.
    const now = Date.now();
    for (let i = 0; i < this.waiting.length && this.executing < this.capacity;) {
      const delivery = this.waiting[i];
      const message = delivery.message!;
      const wait = this.limiter.take(message.task, this.rateLimits.get(message.task) ?? findTask(message.task)?.options.rateLimit, now);
      if (wait > 0) {
        soonest = Math.min(soonest, wait);
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.run(delivery, message, now);
    }
    if (soonest < Infinity && this.state === 'running') {
      clearTimeout(this.rateTimer);
      this.rateTimer = setTimeout(() => this.pump(), soonest);
    }
    this.wake?.();
    this.wake = undefined;
  }

  private run(delivery: Delivery, message: TaskMessage, startedAt: number): void {
    const definition = findTask(message.task)!;
    const invocation: Invocation = {
      id: message.id, task: message.task, args: message.args, queue: message.queue, retries: message.retries,
    };
    if (definition.options.softTimeLimit !== undefined) invocation.softTimeLimitMs = toMs(definition.options.softTimeLimit);
    if (definition.options.timeLimit !== undefined) invocation.timeLimitMs = toMs(definition.options.timeLimit);
    this.emit({ type: 'task-started', ts: startedAt, id: message.id, task: message.task, queue: message.queue });
    this.logger.task('debug', 'started', message.task, message.id);
    const entry: Running = { delivery, message, definition, startedAt, done: Promise.resolve() };
    this.running.set(message.id, entry);
    this.executing++;
    entry.done = this.pool!.run(invocation).then((outcome) => this.executed(entry, outcome));
  }

  /** A running task's progress report (already throttled where the task runs) as a task-progress event. */
  private progressed(entry: Running | undefined, progress: TaskProgress | undefined): void {
    if (!entry || entry.ended || !progress) return;
    const { message } = entry;
    this.emit({ type: 'task-progress', id: message.id, task: message.task, queue: message.queue, progress });
  }

  /** The pool is done with a task: its slot goes to the next one while the outcome is stored. */
  private executed(entry: Running, outcome: ExecutionOutcome): Promise<void> {
    this.progressed(entry, outcome.progress);
    entry.ended = true;
    this.executing--;
    // A killed or crashed run measured its executor's end, not the task.
    if (!outcome.crash && outcome.wallMs > 0) this.measured.add(entry.message.task, outcome.cpuMs, outcome.wallMs);
    this.pump();
    return this.settle(entry, outcome).then(
      () => { this.running.delete(entry.message.id); },
      (error: Error) => {
        this.running.delete(entry.message.id);
        this.logger.error(`task ${entry.message.task}[${entry.message.id.slice(0, 6)}] could not be settled: ${error.message}; it will be delivered again`);
      },
    );
  }

  private settle(entry: Running, outcome: ExecutionOutcome): Promise<void> {
    // Cold shutdown: the task was killed or abandoned; leave it unacked for redelivery.
    if (this.cold) return Promise.resolve();
    // A revoked task that ended anyway (it finished before it looked at its signal) keeps its result.
    if (entry.revoked && !outcome.ok) return this.revoke(entry.delivery, entry.message, this.revokedWhileRunning(outcome), 'task-revoked', outcome);
    if (!outcome.ok) return this.settleFailure(entry, outcome);
    const { message } = entry;
    // Results nobody reads: the ack alone (in a batch), no result stored or published. A workflow's
    // step keeps its result: what follows it (a chain's next step, a chord's join) is sent from it.
    if (!message.flow && (message.ignoreResult ?? entry.definition.options.ignoreResult ?? this.options.ignoreResult)) {
      return this.ackIfLate(entry.delivery, message).then(() => this.succeeded(message, outcome));
    }
    const result: TaskResult = { id: message.id, task: message.task, state: 'SUCCESS', result: outcome.result, wallMs: outcome.wallMs, cpuMs: outcome.cpuMs, finishedAt: Date.now(), worker: this.name, pool: this.kind };
    return this.storeAndAck(entry.delivery, message, result).then(() => this.succeeded(message, outcome));
  }

  private succeeded(message: TaskMessage, outcome: ExecutionOutcome): void {
    this.processed++;
    this.emit({ type: 'task-succeeded', id: message.id, task: message.task, queue: message.queue, result: outcome.result, wallMs: outcome.wallMs, cpuMs: outcome.cpuMs });
    if (this.logger.enabled('info')) this.logger.task('info', 'succeeded', message.task, message.id, () => `in ${formatMs(outcome.wallMs)}${cpuShare(outcome)}`);
  }

  private revokedWhileRunning(outcome: ExecutionOutcome): string {
    if (outcome.crash) return `revoked while running: ${outcome.error?.message ?? 'its executor was killed'}`;
    return `revoked while running: its signal was aborted${outcome.error ? `, and it ended with ${errorLine(outcome.error)}` : ''}`;
  }

  /** Failed, crashed or asked for a retry: retried while retries are left, else stored as FAILURE. */
  private async settleFailure({ delivery, message, definition }: Running, outcome: ExecutionOutcome): Promise<void> {
    const { wallMs, cpuMs } = outcome;
    const error = outcome.error ?? crashError(outcome);
    const maxRetries = definition.options.retries ?? (outcome.retry ? 3 : 0);
    if (message.retries < maxRetries && (outcome.retry || definition.options.retries)) {
      const delayMs = outcome.retry?.countdownMs ?? retryDelayMs(message.retries, definition.options);
      const reason = outcome.retry?.reason ?? errorLine(error);
      const next: TaskMessage = { ...message, retries: message.retries + 1, eta: Date.now() + delayMs };
      await this.options.broker.publish(next);
      await this.ackIfLate(delivery, message);
      this.emit({ type: 'task-retried', id: message.id, task: message.task, queue: message.queue, error, reason, retries: next.retries, wallMs, cpuMs });
      this.logger.task('warn', 'retried', message.task, message.id, () => `in ${formatMs(delayMs)} (attempt ${next.retries + 1}/${maxRetries + 1}): ${reason}`);
      return;
    }
    const reason = outcome.crash
      ? `${errorLine(error)}${message.retries ? ` (after ${message.retries} retries)` : ''}`
      : outcome.retry ? `retry requested but max retries (${maxRetries}) exceeded: ${outcome.retry.reason}` : undefined;
    await this.storeAndAck(delivery, message, { id: message.id, task: message.task, state: 'FAILURE', error, wallMs, cpuMs, finishedAt: Date.now(), worker: this.name, pool: this.kind });
    this.failed++;
    this.emit({ type: 'task-failed', id: message.id, task: message.task, queue: message.queue, error, reason, retries: message.retries, wallMs, cpuMs });
    this.logger.task('error', 'failed', message.task, message.id, () => `in ${formatMs(outcome.wallMs)}: ${reason ?? errorLine(error)}`);
  }

  private get resultTtlMs(): number {
    return this.options.resultTtlMs ?? DAY_MS;
  }

  private async ackIfLate(delivery: Delivery, message: TaskMessage): Promise<void> {
    if (findTask(message.task)?.options.ackLate !== false) await this.acks.add(delivery);
  }

  /**
   * Stores the outcome, then acks (late ack): in one round trip where the broker offers it. A
   * workflow's step in between sends what follows it, so a worker dying before the ack leaves the
   * redelivery to do that again (resume).
   */
  private storeAndAck(delivery: Delivery, message: TaskMessage, result: TaskResult): Promise<void> {
    const { broker } = this.options;
    if (message.flow) {
      return broker.storeResult(result, this.resultTtlMs)
        .then(() => continueFlow(broker, message, result, this.resultTtlMs))
        .then(() => this.ackIfLate(delivery, message));
    }
    if (broker.storeResultAndAck && findTask(message.task)?.options.ackLate !== false) {
      return broker.storeResultAndAck(result, this.resultTtlMs, delivery);
    }
    return broker.storeResult(result, this.resultTtlMs).then(() => this.ackIfLate(delivery, message));
  }
}

export function createWorker(options: WorkerOptions): Worker {
  return new Worker(options);
}
