import { Worker } from 'bullmq';
import axios from 'axios';
import { QUEUES } from './queues.ts';
new Worker(QUEUES.WEBHOOKS, async (job) => {
  await axios.post(job.data.url, job.data.payload, { timeout: 10_000 });
}, { connection: { host: 'redis' }, concurrency: 200 });
