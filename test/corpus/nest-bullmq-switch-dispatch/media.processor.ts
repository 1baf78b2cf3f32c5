import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import sharp from 'sharp';
import { Pool } from 'pg';
@Processor('media', { concurrency: 4 })
export class MediaProcessor extends WorkerHost {
  constructor(private readonly db: Pool) { super(); }
  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'transcode':
        return this.transcode(job);
      case 'notify':
        return this.notify(job);
    }
  }
  private async transcode(job: Job<{ input: Buffer }>) { return sharp(job.data.input).resize(640).webp().toBuffer(); }
  private async notify(job: Job<{ userId: string }>) { await this.db.query('update media set ready = true where owner = $1', [job.data.userId]); }
}
