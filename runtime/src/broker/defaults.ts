// Broker defaults, in one place so the docs, the URL parser and every broker agree.

/** The embedded broker in the current folder: no server to run. */
export const DEFAULT_BROKER = 'file://.tasklane';

/** A live consumer keeps a message this long before it is delivered again (Celery's order of magnitude). */
export const DEFAULT_VISIBILITY_TIMEOUT_MS = 30 * 60_000;
/** A dead consumer's messages come back after this long at most. */
export const DEFAULT_CONSUMER_TIMEOUT_MS = 30_000;
/**
 * How long a revocation is kept: as long as a result (the worker's default), so a task sent with a
 * countdown of up to a day is still refused when it comes due.
 */
export const DEFAULT_REVOKE_TTL_MS = 86_400_000;
/** Dead letters kept; older ones are dropped. */
export const DEAD_LETTER_CAP = 10_000;
/** How long connect() waits for a server. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/**
 * The largest message (its JSON, in bytes) a broker accepts from producers or hands to a worker.
 * Arguments travel through the broker's memory and every worker's, copied per delivery and kept in
 * the dead-letter queue: big data belongs in storage, with a reference in the arguments. 1 MiB
 * leaves room for any reasonable arguments and turns a file or image passed by mistake into an
 * error at the call, not a slow broker (SQS stops at 256 KiB; Redis would take 512 MB).
 */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
/**
 * How deeply a message may nest (objects and arrays). Deeper JSON parses, but serialising it again
 * (events, retries, a prefork child's channel, a thread's postMessage) overflows the stack at a
 * few thousand levels: such a message is refused up front instead. serde_json's default.
 */
export const MAX_NESTING = 128;
