import { Worker, Job } from 'bullmq';
new Worker('mirror', async (job: Job<{ urls: string[] }>) => {
  let done = 0;
  for (const url of job.data.urls) {
    const res = await fetch(url);
    await res.arrayBuffer();
    await job.updateProgress(Math.round((++done / job.data.urls.length) * 100));
  }
}, { connection: { host: 'redis' }, concurrency: 100 });
