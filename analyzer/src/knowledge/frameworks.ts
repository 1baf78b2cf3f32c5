// Job frameworks as discovery knows them: which packages, classes, methods and decorators declare
// a background task. Add a framework's alias or package here, not in discover.ts.

/** BullMQ: `new Worker(queue, processor, opts)`; the Pro package's class is WorkerPro. */
export const BULLMQ = { module: /^(bullmq(-pro)?|@taskforcesh\/bullmq-pro)(\/|$)/, workers: new Set(['Worker', 'WorkerPro']) };

/** Bull 3: `queue.process(name?, concurrency?, processor | path)` on `new Queue(...)` / `Bull(...)`. */
export const BULL = {
  module: /^bull$/,
  process: 'process',
  /** Names a wrapped Bull queue goes by, when the wrapper's package is not in sight: queue, _queue, auditLogQueue, getQueue(). */
  wrapperQueue: /queue$/i,
};

/**
 * NestJS queues. @nestjs/bullmq: `@Processor(queue)` on a class extending WorkerHost, whose
 * `process(job)` method handles every job. @nestjs/bull: `@Processor(queue)` on a class whose
 * `@Process(name?)` methods each handle one job name (all names when unnamed).
 */
export const NEST = {
  bullmq: { module: /^@nestjs\/bullmq(\/|$)/, host: 'WorkerHost', method: 'process' },
  bull: { module: /^@nestjs\/bull(\/|$)/, method: 'Process' },
  processor: 'Processor',
  /** The queue `@Processor()` serves when it names none (Nest registers it as 'default'). */
  defaultQueue: 'default',
  /** `@InjectQueue(name)` on a constructor parameter: a queue of the package the Nest module wraps. */
  injectQueue: 'InjectQueue',
  /** The queue package each Nest module wraps: its Queue is injected, its Job handed to processors. */
  queuePackage: { '@nestjs/bullmq': 'bullmq', '@nestjs/bull': 'bull' } as Record<string, string>,
};

/** The queue package a Nest module specifier (or one of its subpaths) wraps. */
export function nestQueuePackage(specifier: string): string | undefined {
  return Object.entries(NEST.queuePackage).find(([nest]) => specifier === nest || specifier.startsWith(`${nest}/`))?.[1];
}

/** Where a job carries its name: dispatch on `job.name` splits a processor into one task per name. */
export const JOB_NAME_PROPERTY = 'name';

/** Calls that only wrap a path into a URL (or back), for sandboxed processor paths. */
export const PATH_URL_FUNCTIONS = new Set(['fileURLToPath', 'pathToFileURL']);
