// Messages on the wire: plain JSON, never code; bounded in size and nesting, so one bad message
// is refused with its reason instead of stalling a broker or crashing a worker.
import type { SerializedError, TaskMessage } from '../protocol.ts';
import { MAX_NESTING } from './defaults.ts';

/** Why a payload is not a task message, with its id and task name when they could be read. */
export interface MessageProblem {
  error: SerializedError;
  id?: string;
  task?: string;
}

/** A decoded payload: the message, or the problem that stops it from running. */
export type Decoded = { message: TaskMessage; problem?: undefined } | { message: undefined; problem: MessageProblem };

/** A message over the broker's maxPayload, refused when sent. */
export class PayloadTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadTooLargeError';
  }
}

const MIB = 1024 * 1024;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < MIB ? [bytes / 1024, 'KiB'] : [bytes / MIB, 'MiB'];
  return `${Number(value.toFixed(1))} ${unit} (${bytes} bytes)`;
}

/** The payload's size in UTF-8 bytes when it is over `max`; counted only when its length allows it. */
function oversize(raw: string, max: number): number | undefined {
  // A UTF-16 unit is at most 3 bytes, and at least 1.
  if (raw.length * 3 <= max) return undefined;
  const bytes = raw.length > max ? raw.length : Buffer.byteLength(raw, 'utf8');
  return bytes > max ? bytes : undefined;
}

/** Whether objects and arrays nest more than `max` levels in `value` (level by level: any depth is safe). */
function nestedDeeper(value: unknown, max: number): boolean {
  let layer = typeof value === 'object' && value !== null ? [value] : [];
  for (let level = 1; layer.length; level++) {
    if (level > max) return true;
    const next: object[] = [];
    for (const container of layer) {
      for (const item of Object.values(container)) if (typeof item === 'object' && item !== null) next.push(item);
    }
    layer = next;
  }
  return false;
}

const REQUIRED = { id: 'string', task: 'string', queue: 'string', retries: 'number', createdAt: 'number' } as const;
const OPTIONAL_NUMBERS = ['eta', 'expires', 'priority'] as const;

function shapeProblem(m: Record<string, unknown>): string | undefined {
  for (const [field, type] of Object.entries(REQUIRED)) {
    if (typeof m[field] !== type) return `field "${field}" must be a ${type}`;
  }
  if (!Array.isArray(m.args)) return 'field "args" must be an array';
  const bad = OPTIONAL_NUMBERS.find((field) => m[field] !== undefined && typeof m[field] !== 'number');
  if (bad) return `field "${bad}" must be a number when present`;
  if (m.ignoreResult !== undefined && typeof m.ignoreResult !== 'boolean') return 'field "ignoreResult" must be true or false when present';
  if (m.flow !== undefined && (typeof m.flow !== 'object' || m.flow === null || Array.isArray(m.flow))) return 'field "flow" must be an object when present';
  return undefined;
}

// The head of a message as encodeMessage writes it: enough to name a truncated or oversized one.
const HEAD = /^\{"id":("(?:[^"\\]|\\.){1,200}")(?:,"task":("(?:[^"\\]|\\.){1,500}"))?/;

/** The id and task name of a payload that is not a task message, when it still shows them. */
function identify(raw: string, value?: unknown): { id?: string; task?: string } {
  if (typeof value === 'object' && value !== null) {
    const { id, task } = value as Record<string, unknown>;
    return { id: typeof id === 'string' ? id : undefined, task: typeof task === 'string' ? task : undefined };
  }
  const head = HEAD.exec(raw);
  return head ? { id: JSON.parse(head[1]) as string, task: head[2] && (JSON.parse(head[2]) as string) } : {};
}

function refused(name: string, message: string, raw: string, value?: unknown): Decoded {
  return { message: undefined, problem: { error: { name, message }, ...identify(raw, value) } };
}

/** One broker's encoding: its size limit, and its URL to say where that limit is raised. */
export class Codec {
  constructor(private readonly maxPayloadBytes: number, private readonly brokerUrl: string) {}

  /** The message's JSON; throws when it is over the size limit or nested too deeply. */
  encode(message: TaskMessage): string {
    const raw = JSON.stringify(message);
    const bytes = oversize(raw, this.maxPayloadBytes);
    if (bytes !== undefined) {
      const suggested = Math.max(1, 2 ** Math.ceil(Math.log2(bytes / MIB)));
      throw new PayloadTooLargeError(`task ${message.task}[${message.id}]: its message is ${formatBytes(bytes)}, over the broker's limit of ${formatBytes(this.maxPayloadBytes)}. `
        + `Pass a reference (a path, URL or key) instead of the data, or raise the limit for producers and workers alike with maxPayload in the broker URL, e.g. ${this.brokerUrl}?maxPayload=${suggested}mb`);
    }
    // Only a payload at least this long can nest that deep: short ones skip the walk.
    if (raw.length > 2 * MAX_NESTING && nestedDeeper(message.args, MAX_NESTING - 1)) {
      throw new TypeError(`arguments of task "${message.task}" nest more than ${MAX_NESTING - 1} levels deep: flatten them, or pass the structure as a JSON string`);
    }
    return raw;
  }

  /** The task message in a payload, or why there is none. */
  decode(raw: string): Decoded {
    const bytes = oversize(raw, this.maxPayloadBytes);
    if (bytes !== undefined) {
      return refused('PayloadTooLarge', `too large: ${formatBytes(bytes)}, over this broker's maxPayload of ${formatBytes(this.maxPayloadBytes)} (raise maxPayload in the broker URL of workers and producers to accept it)`, raw);
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return refused('UndecodableMessage', `undecodable: not JSON (${(error as Error).message})`, raw);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return refused('UndecodableMessage', 'undecodable: JSON, but not a task message (not an object)', raw);
    }
    const shape = shapeProblem(value as Record<string, unknown>);
    if (shape) return refused('UndecodableMessage', `undecodable: JSON, but not a task message (${shape})`, raw, value);
    if (raw.length > 2 * MAX_NESTING && nestedDeeper(value, MAX_NESTING)) {
      return refused('PayloadTooDeep', `nested too deeply: more than ${MAX_NESTING} levels of objects and arrays`, raw, value);
    }
    return { message: value as TaskMessage };
  }
}
