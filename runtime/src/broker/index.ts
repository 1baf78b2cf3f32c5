// createBroker(url, options?): the one way to get a broker from a URL.
//   memory://[name]         one process; brokers of the same name share queues
//   file://<dir>            embedded, several processes on one machine, no server (default file://.tasklane)
//   redis:// rediss://      Redis through ioredis
//   redis+sentinel://h:p,h:p/<master>[/db]   Redis behind Sentinel;  redis+cluster://h:p,h:p   Redis Cluster
// Options come from the query string and the options object (which wins; undefined fields are ignored):
//   visibilityTimeout  a live consumer's unacked message is delivered again after this (default 30m)
//   consumerTimeout    redis: a consumer that stopped refreshing its liveness key this long is dead
//                      and what it held is delivered again at once (default 30s); file: a dead
//                      owner process is noticed by its pid within about a second
//   connectTimeout     redis: give up connecting after this, with one error (default 5s)
//   maxPayload         the largest message, e.g. 16mb (1k = 1000 bytes, 1kb = 1024; default 1mb):
//                      producers are refused larger ones, workers dead-letter larger ones they find
//   prefix             redis: key prefix (default "tasklane"; "{tasklane}" on a cluster, which needs a hash tag)
// e.g. redis://:password@host:6379/0?visibilityTimeout=10m&consumerTimeout=10s
import { resolve } from 'node:path';
import type { Broker, BrokerOptions } from './broker.ts';
import { FileBroker } from './file.ts';
import { MemoryBroker } from './memory.ts';
import { RedisBroker } from './redis.ts';
import { BrokerUrlError, queryOptions, splitUrl } from './url.ts';

export type { Broker, BrokerOptions, Delivery, FetchOptions } from './broker.ts';
export { PayloadTooLargeError } from './codec.ts';
export { BrokerUrlError, redact } from './url.ts';

export function createBroker(url: string, options: BrokerOptions = {}): Broker {
  if (typeof url !== 'string' || !url.trim()) throw new BrokerUrlError(String(url), 'empty');
  const { scheme, rest, query } = splitUrl(url);
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const merged: BrokerOptions = { ...queryOptions(url, query), ...given };
  for (const [key, value] of Object.entries(merged)) {
    if (key.endsWith('Ms') && (typeof value !== 'number' || !(value > 0))) {
      throw new BrokerUrlError(url, `option ${key} must be a positive number of milliseconds, got ${JSON.stringify(value)}`);
    }
  }
  if (merged.maxPayloadBytes !== undefined && !(Number.isInteger(merged.maxPayloadBytes) && merged.maxPayloadBytes > 0)) {
    throw new BrokerUrlError(url, `option maxPayloadBytes must be a whole number of bytes > 0, got ${JSON.stringify(merged.maxPayloadBytes)}`);
  }
  switch (scheme) {
    case 'memory':
      if (rest.includes('/')) throw new BrokerUrlError(url, 'memory:// takes only a name, e.g. memory://tests');
      return new MemoryBroker(rest || 'default', merged);
    case 'file':
      if (!rest) throw new BrokerUrlError(url, 'file:// needs a directory, e.g. file://.tasklane or file:///var/lib/tasklane');
      return new FileBroker(resolve(decodeURIComponent(rest)), merged);
    case 'redis':
    case 'rediss':
    case 'redis+sentinel':
    case 'redis+cluster':
      return new RedisBroker(url.split('?')[0], merged);
    default:
      throw new BrokerUrlError(url, `unsupported scheme "${scheme}://"`);
  }
}
