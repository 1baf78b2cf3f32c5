import { Worker } from 'bullmq';
import { readFileSync } from 'node:fs';
import IORedis from 'ioredis';
const connection = new IORedis({ maxRetriesPerRequest: null });
new Worker('feature-flags', async (job) => {
  const flags = JSON.parse(readFileSync(job.data.file, 'utf8'));
  await connection.hset('flags', flags);
}, { connection });
