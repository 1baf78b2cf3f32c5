// Outcomes a pool writes itself, when the task could not report one (killed, died, pool closed).
import type { SerializedError } from '../protocol.ts';
import type { ExecutionOutcome } from './pool.ts';

/** The error a worker thread answers with when the app did not load in it: the pool replaces it. */
export const APP_LOAD_ERROR = 'AppLoadError';

export function failedOutcome(
  error: SerializedError,
  where: { startedAt: number; pid: number; threadId: number; cpuMs?: number },
  crash?: ExecutionOutcome['crash'],
): ExecutionOutcome {
  const finishedAt = Date.now();
  return {
    ok: false, error, ...(crash && { crash }),
    wallMs: finishedAt - where.startedAt, cpuMs: where.cpuMs ?? 0,
    pid: where.pid, threadId: where.threadId, startedAt: where.startedAt, finishedAt,
  };
}

export function closedOutcome(kind: string): ExecutionOutcome {
  return failedOutcome(
    { name: 'PoolClosedError', message: `the ${kind} pool is closed: the task was not started` },
    { startedAt: Date.now(), pid: process.pid, threadId: 0 },
  );
}

/** A task revoked before it started, where it waited (a pool's backlog, a child's queue). */
export function revokedOutcome(reason: string): ExecutionOutcome {
  return failedOutcome({ name: 'TaskRevoked', message: reason }, { startedAt: Date.now(), pid: process.pid, threadId: 0 });
}
