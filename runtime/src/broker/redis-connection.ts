// Connections of the Redis broker (one server, Sentinel or Cluster) and what a dropped connection
// means for the commands that were on it. ioredis would send them again on reconnect, but a reply
// lost with the connection leaves their outcome unknown: a fetch's entries stay reserved to a
// consumer that never saw them, a publish may be enqueued twice. So ioredis re-sends nothing; a
// command whose connection drops fails here with ConnectionLost, and the broker decides per command.
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { formatMs } from '../logger.ts';
import type { RedisTarget } from './url.ts';

/** The connection dropped before Redis answered: the command may or may not have run. */
export class ConnectionLost extends Error {
  constructor(what: string, displayUrl: string) {
    super(`the ${what} connection to the Redis broker at ${displayUrl} dropped before it answered: the command may or may not have been applied`);
    this.name = 'ConnectionLost';
  }
}

/** An ioredis client for the target; a Cluster offers the same commands, so it is typed as one. */
export function createClient(target: RedisTarget, options: RedisOptions): Redis {
  if (target.kind === 'server') return new Redis(target.url, options);
  const { nodes, name, db, username, password } = target;
  if (target.kind === 'sentinel') {
    return new Redis({
      ...options,
      sentinels: nodes, name, db, username, password,
      // A primary demoted by a failover answers READONLY: look for the new one.
      reconnectOnError: (error) => /READONLY/.test(error.message),
      ...(options.retryStrategy ? { sentinelRetryStrategy: options.retryStrategy } : {}),
    });
  }
  const { retryStrategy, ...nodeOptions } = options;
  return new Cluster(nodes, {
    lazyConnect: options.lazyConnect,
    clusterRetryStrategy: retryStrategy ? (times) => retryStrategy(times) ?? null : undefined,
    redisOptions: { ...nodeOptions, username, password },
  }) as unknown as Redis;
}

/** The Cluster behind a client typed as Redis, if it is one. */
export function clusterOf(client: Redis): Cluster | undefined {
  const value: unknown = client;
  return value instanceof Cluster ? value : undefined;
}

/** One connection: its commands, and waiting for it to be up. */
export class Link {
  private readonly unanswered = new Set<(error: Error) => void>();
  private readonly waiting = new Set<(error?: Error) => void>();

  /** `onBack` runs when the connection is up again after a drop. */
  constructor(readonly client: Redis, private readonly what: string, private readonly displayUrl: string, onBack: () => void) {
    const lost = () => {
      const error = new ConnectionLost(what, displayUrl);
      for (const reject of this.unanswered) reject(error);
      this.unanswered.clear();
    };
    const watch = (connection: Redis) => {
      let dropped = false;
      connection.on('close', () => { dropped = true; lost(); });
      connection.on('ready', () => {
        if (dropped) onBack();
        dropped = false;
      });
    };
    const cluster = clusterOf(client);
    if (cluster) cluster.on('+node', watch);
    else watch(client);
  }

  get up(): boolean {
    return this.client.status === 'ready';
  }

  /** The reply, or ConnectionLost when the connection drops first. */
  send<T>(sent: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.unanswered.add(reject);
      sent.then((value) => { this.unanswered.delete(reject); resolve(value); }, (error: unknown) => { this.unanswered.delete(reject); reject(error); });
    });
  }

  /**
   * Resolves once the connection is up; rejects after `boundMs` (with a clear error naming the
   * redacted URL), when the broker closes (abandon), or when the signal aborts.
   */
  whenUp(boundMs: number, signal?: AbortSignal): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.waiting.delete(done);
        this.client.off('ready', onReady);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => done();
      const onAbort = () => done(new Error('aborted'));
      const timer = boundMs < Infinity
        ? setTimeout(() => done(new Error(`cannot reach the Redis broker at ${this.displayUrl} (${this.what} connection): not back within ${formatMs(boundMs)}`)), boundMs)
        : undefined;
      this.waiting.add(done);
      this.client.on('ready', onReady);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The broker closes: whoever waits for the connection stops waiting (a reconnecting client may never end). */
  abandon(): void {
    for (const done of this.waiting) done(new Error(`the Redis broker at ${this.displayUrl} is closed`));
  }
}
