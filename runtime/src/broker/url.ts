// Broker URLs: which scheme, where, and the options in the query string.
import { toMs } from '../duration.ts';
import type { BrokerOptions } from './broker.ts';

export const SCHEMES = ['file://<dir>', 'memory://[name]', 'redis://[user:password@]host[:port][/db]', 'rediss://…'];

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
    } else if (key === 'prefix') {
      if (!value) throw new BrokerUrlError(url, 'option prefix is empty');
      options.prefix = value;
    } else {
      throw new BrokerUrlError(url, `unknown option "${key}" (known: ${[...Object.keys(DURATION_PARAMS), 'prefix'].join(', ')})`);
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
