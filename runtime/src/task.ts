// A registered task as producers see it: delay/applyAsync send it through the app's broker,
// call() runs it inline. Typed from the handler: arguments are Parameters<H>, results Awaited<ReturnType<H>>.
import type { Broker } from './broker/broker.ts';
import { toMs } from './duration.ts';
import { execute } from './execute.ts';
import type { Handler, TaskOptions } from './registry.ts';
import { sendTask } from './contract.ts';
import type { ApplyOptions } from './message.ts';
import { AsyncResult, TaskError } from './result.ts';
import { parseRateLimit } from './worker/rate-limit.ts';
import { Signature, type SignatureOptions } from './workflow.ts';

export type TaskResultOf<H extends Handler> = Awaited<ReturnType<H>>;
/** A handler's parameters but the first: what a chain link is given, the previous result filling the first. */
export type LaterParameters<H extends Handler> = Parameters<H> extends [unknown?, ...infer Rest] ? Rest : never;
/** The partial signature of a chain link or chord callback: still needs its first argument. */
export type LinkSignature<H extends Handler> = Signature<TaskResultOf<H>, [Parameters<H>[0]]>;

export interface Task<H extends Handler> {
  readonly name: string;
  readonly options: TaskOptions;
  /** Sends the task with these arguments. */
  delay(...args: Parameters<H>): Promise<AsyncResult<TaskResultOf<H>>>;
  /** Sends the task with options (queue, countdown, eta, expires, priority). */
  applyAsync(args: Parameters<H>, options?: ApplyOptions): Promise<AsyncResult<TaskResultOf<H>>>;
  /** Runs the task here and now, with a context(), no broker. Throws a TaskError on failure. */
  call(...args: Parameters<H>): Promise<TaskResultOf<H>>;
  /**
   * A signature (Celery's `task.s()`) for chain, group and chord: with all arguments it is complete;
   * without the first, it is a link that receives the previous task's result (chain) or the
   * group's results (chord) as that first argument.
   */
  s(...args: Parameters<H>): Signature<TaskResultOf<H>>;
  s(...args: LaterParameters<H>): LinkSignature<H>;
  /** task.s() with options (queue, priority). */
  signature(args: Parameters<H>, options?: SignatureOptions): Signature<TaskResultOf<H>>;
  signature(args: LaterParameters<H>, options?: SignatureOptions): LinkSignature<H>;
}

/** What a Task needs from its app. */
export interface TaskHost {
  broker(): Promise<Broker>;
  queueFor(task: string, taskQueue: string | undefined, applyQueue: string | undefined): string;
}

/** Fails at app.task() time, naming the option, rather than at the first run on some worker. */
export function checkTaskOptions(name: string, options: TaskOptions): void {
  for (const key of ['retryBackoff', 'retryBackoffMax', 'timeLimit', 'softTimeLimit', 'expires'] as const) {
    const value = options[key];
    if (value === undefined) continue;
    try {
      toMs(value);
    } catch (error) {
      throw new TypeError(`task "${name}": option ${key}: ${(error as Error).message}`);
    }
  }
  if (options.retries !== undefined && !(Number.isInteger(options.retries) && options.retries >= 0)) {
    throw new TypeError(`task "${name}": option retries must be a whole number >= 0, got ${JSON.stringify(options.retries)}`);
  }
  if (options.rateLimit !== undefined) {
    try {
      parseRateLimit(options.rateLimit);
    } catch (error) {
      throw new TypeError(`task "${name}": ${(error as Error).message}`);
    }
  }
}

export function createTask<H extends Handler>(name: string, options: TaskOptions, host: TaskHost): Task<H> {
  async function applyAsync(args: Parameters<H>, apply: ApplyOptions = {}): Promise<AsyncResult<TaskResultOf<H>>> {
    const queue = host.queueFor(name, options.queue, apply.queue);
    const { result } = await sendTask<TaskResultOf<H>>(await host.broker(), name, args, { taskOptions: options, apply: { ...apply, queue } });
    return result;
  }

  const signature = (args: unknown[], signatureOptions: SignatureOptions = {}) => new Signature(name, args, signatureOptions, options, host);

  return {
    name,
    options,
    s: ((...args: unknown[]) => signature(args)) as Task<H>['s'],
    signature: signature as Task<H>['signature'],
    delay: (...args) => applyAsync(args),
    applyAsync,
    async call(...args: Parameters<H>): Promise<TaskResultOf<H>> {
      const id = crypto.randomUUID();
      const outcome = await execute({
        id, task: name, args, queue: host.queueFor(name, options.queue, undefined), retries: 0,
        softTimeLimitMs: options.softTimeLimit === undefined ? undefined : toMs(options.softTimeLimit),
      });
      if (outcome.ok) return outcome.result as TaskResultOf<H>;
      throw new TaskError(id, name, outcome.error ?? { name: 'Error', message: 'no error recorded' });
    },
  };
}
