import { Worker } from 'bullmq';
import { gzipSync } from 'node:zlib';
import { Storage } from '@google-cloud/storage';
const bucket = new Storage().bucket('logs');
new Worker('log-archive', async (job) => {
  const [contents] = await bucket.file(job.data.name).download();
  await bucket.file(`${job.data.name}.gz`).save(gzipSync(contents));
}, { connection: { host: 'redis' }, concurrency: 10 });
