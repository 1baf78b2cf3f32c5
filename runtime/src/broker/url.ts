// Broker URLs: which scheme, where, and the options in the query string.
import { toMs } from '../duration.ts';
import type { BrokerOptions } from './broker.ts';

export const SCHEMES = [
  'file://<dir>', 'memory://[name]', 'redis://[user:password@]host[:port][/db]', 'rediss://…',
  'redis+sentinel://[user:password@]host[:port][,host[:port]…]/<master name>[/db]', 'redis+cluster://[user:password@]host[:port][,host[:port]…]',
];

const DURATION_PARAMS: Record<string, keyof BrokerOptions> = {
  visibilityTimeout: 'visibilityTimeoutMs',
  consumerTimeout: 'consumerTimeoutMs',
  connectTimeout: 'connectTimeoutMs',
};

export class BrokerUrlError extends Error {
  constructor(url: string, problem: string) {
    super(`invalid broker URL ${JSON.stringify(redact(url))}: ${problem}. Supported: ${SCHEMES.join(', ')}`);
    this.name = 'BrokerUrlError';
  }
}

/**
 * The URL with its password replaced by "***": safe to log and to put in errors. The host cannot
 * contain "@", so everything up to the last one is credentials (a password with a raw "@" stays
 * hidden); a user name alone may be a token, so it is hidden too.
 */
export function redact(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@([^@]*)$/i.exec(url);
  if (!match) return url;
  const [, scheme, credentials, rest] = match;
  const colon = credentials.indexOf(':');
  return `${scheme}${colon >= 0 ? `${credentials.slice(0, colon)}:***` : '***'}@${rest}`;
}

// Sizes as Redis writes them: 1k = 1000 bytes, 1kb = 1024; likewise m/mb, g/gb.
const SIZE_UNITS: Record<string, number> = { '': 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };

function parseSize(text: string): number {
  const match = /^(\d+)\s*([kmg]b?)?$/i.exec(text.trim());
  const bytes = match ? Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toLowerCase()] : NaN;
  if (!(bytes > 0)) throw new Error(`${JSON.stringify(text)} is not a size: use bytes, or a number with kb, mb or gb, e.g. maxPayload=16mb`);
  return bytes;
}

/** Options from the query string (`?visibilityTimeout=30s&prefix=app`), checked by name. */
export function queryOptions(url: string, query: string): BrokerOptions {
  const options: BrokerOptions = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const field = DURATION_PARAMS[key];
    if (field) {
      try {
        (options as Record<string, number>)[field] = toMs(value);
      } catch (error) {
        throw new BrokerUrlError(url, `option ${key}: ${(error as Error).message}`);
      }
    } else if (key === 'maxPayload') {
      try {
        options.maxPayloadBytes = parseSize(value);
      } catch (error) {
        throw new BrokerUrlError(url, `option maxPayload: ${(error as Error).message}`);
      }
    } else if (key === 'prefix') {
      if (!value) throw new BrokerUrlError(url, 'option prefix is empty');
      options.prefix = value;
    } else {
      throw new BrokerUrlError(url, `unknown option "${key}" (known: ${[...Object.keys(DURATION_PARAMS), 'maxPayload', 'prefix'].join(', ')})`);
    }
  }
  return options;
}

/** Splits "scheme://rest?query" without URL's normalisation (file://.tasklane is a relative path). */
export function splitUrl(url: string): { scheme: string; rest: string; query: string } {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^?]*)(?:\?(.*))?$/i.exec(url.trim());
  if (!match) throw new BrokerUrlError(url, 'expected scheme://…');
  return { scheme: match[1].toLowerCase(), rest: match[2], query: match[3] ?? '' };
}

/** Where a Redis broker URL points: one server (ioredis parses the URL), Sentinel, or Cluster. */
export type RedisTarget =
  | { kind: 'server'; url: string }
  | { kind: 'sentinel' | 'cluster'; nodes: Array<{ host: string; port: number }>; name?: string; db: number; username?: string; password?: string };

/**
 * redis:// and rediss:// as ioredis reads them, and two schemes for a list of servers (Lettuce's
 * redis-sentinel:// shape under kombu's "+" naming, the password before the hosts as in redis://):
 *   redis+sentinel://[user:password@]host[:port][,host[:port]…]/<master name>[/<db>]  (port 26379)
 *   redis+cluster://[user:password@]host[:port][,host[:port]…]                      (port 6379)
 * The password is the data servers'; a Sentinel password goes in the `redis` options (sentinelPassword).
 */
export function parseRedisUrl(url: string): RedisTarget {
  const { scheme, rest } = splitUrl(url);
  if (scheme === 'redis' || scheme === 'rediss') return { kind: 'server', url: url.split('?')[0] };
  const kind = scheme === 'redis+sentinel' ? 'sentinel' : scheme === 'redis+cluster' ? 'cluster' : undefined;
  if (!kind) throw new BrokerUrlError(url, `unsupported scheme "${scheme}://"`);
  const at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length : rest.indexOf('/'));
  const credentials = at >= 0 ? rest.slice(0, at) : '';
  const [hosts, ...path] = rest.slice(at + 1).split('/');
  const colon = credentials.indexOf(':');
  const username = decodeURIComponent(colon >= 0 ? credentials.slice(0, colon) : credentials) || undefined;
  const password = colon >= 0 ? decodeURIComponent(credentials.slice(colon + 1)) : undefined;
  const nodes = hosts.split(',').map((hostPort) => {
    const match = /^([^:,\s]+|\[[0-9a-f:.]+\])(?::(\d+))?$/i.exec(hostPort);
    if (!match) throw new BrokerUrlError(url, `"${hostPort}" is not host[:port]`);
    return { host: match[1].replace(/^\[|\]$/g, ''), port: match[2] ? Number(match[2]) : kind === 'sentinel' ? 26379 : 6379 };
  });
  const segments = path.filter(Boolean);
  if (kind === 'cluster') {
    if (segments.length) throw new BrokerUrlError(url, 'redis+cluster:// takes no path: a cluster has only database 0');
    return { kind, nodes, db: 0, username, password };
  }
  const [name, db = '0', ...extra] = segments;
  if (!name) throw new BrokerUrlError(url, 'redis+sentinel:// needs the master name, e.g. redis+sentinel://host:26379/mymaster');
  if (extra.length || !/^\d+$/.test(db)) throw new BrokerUrlError(url, `after the master name comes only a database number, got "/${segments.slice(1).join('/')}"`);
  return { kind, nodes, name: decodeURIComponent(name), db: Number(db), username, password };
}
