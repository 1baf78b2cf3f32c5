// The IPC messages between the prefork pool and its children (JSON over the fork channel).
import type { SerializedError, TaskProgress } from '../protocol.ts';
import type { ExecutionOutcome, Invocation } from './pool.ts';

export type ParentMessage =
  | { type: 'run'; invocation: Invocation }
  | { type: 'abort'; reason: string };

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'load-failed'; error: SerializedError }
  | { type: 'started'; startedAt: number }
  | { type: 'progress'; id: string; progress: TaskProgress }
  | { type: 'outcome'; outcome: ExecutionOutcome; rssBytes: number };
