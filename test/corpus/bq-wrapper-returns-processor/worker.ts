import { Worker, type Job } from 'bullmq';
import Jimp from 'jimp';
function withMetrics<T>(fn: (job: Job) => Promise<T>) {
  return async (job: Job) => { const start = Date.now(); try { return await fn(job); } finally { console.log(Date.now() - start); } };
}
async function makeThumb(job: Job<{ path: string }>) {
  const image = await Jimp.read(job.data.path);
  image.resize(128, 128);
}
new Worker('thumbs', withMetrics(makeThumb), { connection: { host: 'redis' } });
