import { Worker, type Job } from 'bullmq';
interface JobProcessor { handle(job: Job): Promise<unknown> }
const registry: Record<string, JobProcessor> = {};
export function register(name: string, processor: JobProcessor) { registry[name] = processor; }
function getProcessor(name: string): JobProcessor { return registry[name]; }
new Worker('plugins', async (job) => {
  console.log('running', job.name, job.data);
  return getProcessor(job.name).handle(job);
}, { connection: { host: 'redis' } });
