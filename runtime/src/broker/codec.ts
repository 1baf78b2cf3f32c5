import type { TaskMessage } from '../protocol.ts';

/** Encodes a message for the wire: plain JSON, never code. */
export function encodeMessage(message: TaskMessage): string {
  return JSON.stringify(message);
}

/**
 * Decodes a raw payload, or undefined when it is not a task message (bad JSON, wrong shape):
 * the worker dead-letters those instead of crashing on them.
 */
export function decodeMessage(raw: string): TaskMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Partial<TaskMessage>;
  const ok = typeof m.id === 'string' && typeof m.task === 'string' && Array.isArray(m.args)
    && typeof m.queue === 'string' && typeof m.retries === 'number' && typeof m.createdAt === 'number'
    && (m.eta === undefined || typeof m.eta === 'number')
    && (m.expires === undefined || typeof m.expires === 'number')
    && (m.priority === undefined || typeof m.priority === 'number');
  return ok ? (m as TaskMessage) : undefined;
}
