// createBroker(url, options?): the one way to get a broker from a URL.
//   memory://[name]         one process; brokers of the same name share queues
//   file://<dir>            embedded, several processes on one machine, no server (default file://.tasklane)
//   redis:// rediss://      Redis through ioredis
// Options come from the query string (?visibilityTimeout=30s) and the options object (which wins).
import { resolve } from 'node:path';
import type { Broker, BrokerOptions } from './broker.ts';
import { FileBroker } from './file.ts';
import { MemoryBroker } from './memory.ts';
import { RedisBroker } from './redis.ts';
import { BrokerUrlError, queryOptions, splitUrl } from './url.ts';

export type { Broker, BrokerOptions, Delivery, FetchOptions } from './broker.ts';
export { BrokerUrlError, redact } from './url.ts';

/** The embedded broker used when nothing else is configured. */
export const DEFAULT_BROKER_URL = 'file://.tasklane';

export function createBroker(url: string, options: BrokerOptions = {}): Broker {
  if (typeof url !== 'string' || !url.trim()) throw new BrokerUrlError(String(url), 'empty');
  const { scheme, rest, query } = splitUrl(url);
  const merged: BrokerOptions = { ...queryOptions(url, query), ...options };
  for (const [key, value] of Object.entries(merged)) {
    if (key.endsWith('Ms') && (typeof value !== 'number' || !(value > 0))) {
      throw new BrokerUrlError(url, `option ${key} must be a positive number of milliseconds, got ${JSON.stringify(value)}`);
    }
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
      return new RedisBroker(url.split('?')[0], merged);
    default:
      throw new BrokerUrlError(url, `unsupported scheme "${scheme}://"`);
  }
}
