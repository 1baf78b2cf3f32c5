// What the bench needs from a queue system (Tasklane on a broker, or BullMQ): a worker process it
// can start on demand, a producer, and a round trip. The cases in cases.ts are written once
// against this, so both systems run exactly the same workloads.
import type { BenchWorker } from './worker-ipc.ts';

export type Workload = 'noop' | 'spin' | 'wait';

export interface Job {
  workload: Workload;
  /** spin: iterations; wait: ms. */
  arg: number;
}

export interface WorkerSpec {
  /** A Tasklane pool, or how BullMQ runs its processor: in-process, threads, processes. */
  pool: string;
  concurrency: number;
  queue: string;
  /** Keep no result of a success: Tasklane's ignoreResult, BullMQ's removeOnComplete { count: 0 } (else it keeps the last 1,000). */
  ignoreResult?: boolean;
}

export interface System {
  readonly name: 'tasklane' | 'bullmq';
  /** Which broker carries the tasks: redis, file (Tasklane's embedded broker). */
  readonly broker: string;
  /** A worker process, connected, not yet consuming. */
  worker(spec: WorkerSpec): Promise<BenchWorker>;
  /** Enqueue every job (batched as the system allows). */
  enqueue(queue: string, jobs: Job[]): Promise<void>;
  /** Enqueue one job and wait for its result. */
  roundTrip(queue: string, job: Job): Promise<void>;
  close(): Promise<void>;
}
