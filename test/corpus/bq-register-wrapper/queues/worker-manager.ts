import { Worker, type Job, type Processor, type WorkerOptions } from 'bullmq';

// The application's registry: one Worker per queue, its processor wrapped with metrics.
export class WorkerManager {
  private static workers: Record<string, Worker> = {};

  private static metricWrapper(processor: Processor, queueName: string): Processor {
    return async (job: Job) => {
      const started = Date.now();
      const result = await processor(job);
      console.log(`${queueName} took ${Date.now() - started} ms`);
      return result;
    };
  }

  static register(queueName: string, processor: Processor, additionalOptions: Partial<WorkerOptions> = {}): void {
    if (WorkerManager.workers[queueName]) return;
    WorkerManager.workers[queueName] = new Worker(queueName, WorkerManager.metricWrapper(processor, queueName), {
      connection: { host: 'localhost' },
      ...additionalOptions,
    });
  }
}
