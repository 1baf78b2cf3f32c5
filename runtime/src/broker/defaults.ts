// Broker defaults, in one place so the docs, the URL parser and every broker agree.

/** The embedded broker in the current folder: no server to run. */
export const DEFAULT_BROKER = 'file://.tasklane';

/** A live consumer keeps a message this long before it is delivered again (Celery's order of magnitude). */
export const DEFAULT_VISIBILITY_TIMEOUT_MS = 30 * 60_000;
/** A dead consumer's messages come back after this long at most. */
export const DEFAULT_CONSUMER_TIMEOUT_MS = 30_000;
/** Dead letters kept; older ones are dropped. */
export const DEAD_LETTER_CAP = 10_000;
/** How long connect() waits for a server. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
