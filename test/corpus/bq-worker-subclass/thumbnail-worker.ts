import { Worker, type Job } from 'bullmq';
import sharp from 'sharp';

// A subclass that hands its own method up as the processor.
export class ThumbnailWorker extends Worker {
  constructor(connection: { host: string }) {
    super('thumbnails', (job: Job) => this.processJob(job), { connection });
  }

  async processJob(job: Job<{ path: string }>): Promise<Buffer> {
    return sharp(job.data.path).resize(128).toBuffer();
  }
}
