// The IPC messages between the prefork pool and its children (over the fork channel). Tasks go to
// a child in batches and their outcomes come back in batches: one message each way for all the
// tasks a child is given in one tick and finishes in one turn of its event loop.
import type { SerializedError, TaskProgress } from '../protocol.ts';
import type { ExecutionOutcome, Invocation } from './pool.ts';

export type ParentMessage =
  /** Run these in order, after any the child holds. */
  | { type: 'run'; invocations: Invocation[] }
  /** Abort task `id`: its signal if it runs, or drop it (a TaskRevoked outcome) if it waits. */
  | { type: 'abort'; id: string; reason: string };

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'load-failed'; error: SerializedError }
  | { type: 'progress'; id: string; progress: TaskProgress }
  /** `rssBytes` only when the pool recycles by memory (maxMemoryPerChild). */
  | { type: 'outcomes'; outcomes: Array<{ id: string; outcome: ExecutionOutcome }>; rssBytes?: number };
