// Where a task should run (pool, concurrency, queue), and what is wrong with where it runs today
// according to tasklane.config.json: Celery's rule of one pool per kind of work, in Node's terms.
// BullMQ processors get the same judgement in BullMQ's words (inline vs sandboxed, useWorkerThreads).
import { defaultConcurrency, DEFAULT_QUEUE, routeTask, type PoolKind } from 'tasklane/contract';
import type { TasklaneConfig, WorkerConfig } from 'tasklane/config';
import type { FoundTask } from './discover.ts';
import type { BullmqWorker, Problem, Range, TaskKind } from './types.ts';
import type { Verdict } from './verdict.ts';


export interface Suggestion {
  pool: PoolKind;
  concurrency: number;
  queue: string;
  routedQueue: string;
  /** The pool of the config's worker consuming routedQueue, when one does. */
  routedPool?: PoolKind;
  summary: string;
  problems: Problem[];
}

interface Worker { name: string; config: WorkerConfig; queues: string[] }

const KIND_LABEL: Record<TaskKind, string> = { cpu: 'CPU-bound', io: 'I/O-bound', mixed: 'Mixed CPU + I/O', unknown: 'Unknown' };

/**
 * The pool that fits the code as written: I/O that never blocks waits cheaply on the event loop;
 * anything that blocks it (a readFileSync, an execSync) or computes wants its own thread or process.
 * `current`: the pool the task runs on today, kept when the verdict is undecided.
 */
export function poolFor(verdict: Pick<Verdict, 'kind' | 'isolate' | 'blocking'>, current?: PoolKind): PoolKind {
  if (verdict.kind === 'unknown' && current) return current;
  if (verdict.kind === 'io' && !verdict.blocking) return 'async';
  return verdict.isolate ? 'prefork' : 'threads';
}

/** Whether a worker's pool suits the task. Solo runs anything one at a time: never a mismatch; nor is an undecided task. */
function fits(pool: PoolKind, verdict: Verdict): boolean {
  if (pool === 'solo' || verdict.kind === 'unknown') return true;
  if (pool === 'async') return verdict.kind === 'io' && !verdict.blocking;
  return verdict.kind !== 'io' || verdict.blocking;
}

export function suggest(task: FoundTask, verdict: Verdict, config: TasklaneConfig | undefined, cores: number, anchorRange: Range, bullmq?: BullmqWorker): Suggestion {
  const bull = task.bullmq;
  if (bull) {
    const pool = poolFor(verdict, bull.sandboxed ? (bull.useWorkerThreads ? 'threads' : 'prefork') : 'async');
    return suggestBullmq(task, verdict, pool, defaultConcurrency(pool, cores), cores, anchorRange, bullmq);
  }

  const routedQueue = routeTask(task.name, { taskQueue: task.queue, routes: config?.routes });
  const workers: Worker[] = Object.entries(config?.workers ?? {}).map(([name, worker]) => ({ name, config: worker, queues: worker.queues?.length ? worker.queues : [DEFAULT_QUEUE] }));
  const serving = workers.filter((w) => w.queues.includes(routedQueue));
  const pool = poolFor(verdict, serving[0]?.config.pool);
  const concurrency = defaultConcurrency(pool, cores);
  const fitting = workers.filter((w) => w.config.pool === pool);
  const queue = serving.some((w) => fits(w.config.pool, verdict)) ? routedQueue
    : fitting[0]?.queues[0] ?? (verdict.kind === 'unknown' ? routedQueue : verdict.kind === 'io' ? 'io' : 'cpu');

  const problems: Problem[] = [];
  const problem = (code: Problem['code'], severity: Problem['severity'], message: string, data: Record<string, unknown> = {}): void => {
    problems.push({ code, severity, message, range: anchorRange, task: task.name, data: { queue, pool, concurrency, ...data } });
  };
  if (workers.length && !serving.length) {
    problem('unserved-queue', 'warning',
      `No worker in tasklane.config.json consumes queue '${routedQueue}': task '${task.name}' would wait forever. Add a ${pool} worker for it, or route the task to a served queue.`,
      { queue: routedQueue });
  }
  const worker = serving[0];
  if (worker) {
    const wPool = worker.config.pool;
    const wConcurrency = worker.config.concurrency ?? defaultConcurrency(wPool, cores);
    const at = `queue '${routedQueue}' is consumed by worker '${worker.name}' (${wPool} × ${wConcurrency})`;
    const firstBlocking = verdict.evidence.find((e) => e.kind === 'blocking' || e.kind === 'cpu');
    if (wPool === 'async' && verdict.blocking) {
      problem('blocking-on-async', 'warning',
        `Task '${task.name}' blocks the event loop${firstBlocking ? ` (${firstBlocking.message})` : ''}, and ${at}: while it runs it stalls the other ${Math.max(wConcurrency - 1, 1)} tasks. ${verdict.kind === 'io' ? 'Replace its synchronous calls with their async forms (then async fits), or route' : 'Route'} it to a ${pool} queue${queue !== routedQueue ? ` ('${queue}')` : ''}.`);
    } else if (!fits(wPool, verdict)) {
      problem('pool-mismatch', verdict.kind === 'io' ? 'warning' : 'info',
        verdict.kind === 'io'
          ? `Task '${task.name}' is I/O-bound, and ${at}: each task holds a ${wPool === 'threads' ? 'thread' : 'process'} while it waits. An async worker runs hundreds at once${queue !== routedQueue ? ` (queue '${queue}')` : ''}.`
          : `Task '${task.name}' is ${KIND_LABEL[verdict.kind]}, and ${at}: its CPU work competes with the other tasks' I/O. A ${pool} worker fits it better${queue !== routedQueue ? ` (queue '${queue}')` : ''}.`);
    }
    if (task.hasTimeLimit && (wPool === 'async' || wPool === 'solo') && (verdict.blocking || verdict.kind === 'cpu' || verdict.kind === 'mixed')) {
      problem('unpreemptible-time-limit', 'warning',
        `Task '${task.name}' has a timeLimit, but ${at}, which cannot pre-empt running JavaScript: a CPU-bound run overshoots its limit. Route it to a threads or prefork queue, where the limit kills and replaces the thread or child.`);
    }
  }
  return {
    pool, concurrency, queue, routedQueue, ...(worker && { routedPool: worker.config.pool }),
    summary: `suggest: ${pool} × ${concurrency} · queue ${queue} — ${label(verdict)}`, problems,
  };
}

function suggestBullmq(task: FoundTask, verdict: Verdict, pool: PoolKind, concurrency: number, cores: number, anchorRange: Range, worker: BullmqWorker | undefined): Suggestion {
  const bull = task.bullmq!;
  const queue = task.name;
  const problems: Problem[] = [];
  const where = pool === 'async' ? `an inline processor with concurrency ${concurrency}`
    : pool === 'prefork' ? `a sandboxed processor file (a child process per job), concurrency ${cores}`
      : `a sandboxed processor file with useWorkerThreads: true, concurrency ${cores}`;
  // The lens leads with the suggestion, then what the code does today, so the two can be compared.
  const suggested = pool === 'async' ? `inline × ${concurrency}` : pool === 'prefork' ? `sandboxed × ${cores}` : `sandboxed in worker threads × ${cores}`;
  const today = `${bull.sandboxed ? (bull.useWorkerThreads ? 'sandboxed in worker threads' : 'sandboxed') : 'inline'}, ${worker?.concurrency === undefined ? 'BullMQ default 1' : `concurrency ${worker.concurrency}`}`;
  const problem = (code: Problem['code'], message: string): void => {
    problems.push({ code, severity: 'warning', message, range: anchorRange, task: task.name, data: { queue, pool, concurrency } });
  };
  if (!bull.sandboxed && verdict.blocking) {
    problem('blocking-on-async',
      `This BullMQ processor blocks the event loop, and it runs inline${bull.concurrency > 1 ? ` with concurrency ${bull.concurrency}: it stalls the other ${bull.concurrency - 1} jobs` : ''} and the lock renewals (jobs get marked stalled). ${verdict.kind === 'io' ? 'Replace its synchronous calls with their async forms (then inline fits), or move' : 'Move'} it to ${where}.`);
  } else if (bull.sandboxed && verdict.kind === 'io' && !verdict.blocking) {
    problem('pool-mismatch',
      `This BullMQ processor is I/O-bound, but sandboxed: each job holds a ${bull.useWorkerThreads ? 'thread' : 'process'} while it waits. Run it inline with concurrency in the hundreds.`);
  }
  return { pool, concurrency, queue, routedQueue: queue, summary: `suggest: ${suggested} — ${label(verdict)} · now ${today}`, problems };
}

function label(verdict: Verdict): string {
  return KIND_LABEL[verdict.kind] + (verdict.blocking ? ' · blocking' : '') + (verdict.kind === 'unknown' ? ' · keep the current pool' : '');
}
