import { Worker, type Job } from 'bullmq';
import Jimp from 'jimp';
export const worker = new Worker('thumbnails', async (job: Job<{ path: string }>) => {
  const image = await Jimp.read(job.data.path);
  await image.cover(200, 200).writeAsync(job.data.path.replace('.jpg', '.thumb.jpg'));
}, { connection: { host: 'redis' }, concurrency: 4 });
