import { Processor, WorkerHost, OnWorkerEvent } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { NotifyService, ThumbnailService } from './reports.service';
@Processor({ name: 'thumbs' })
export class ThumbsProcessor extends WorkerHost {
  constructor(private readonly thumbnails: ThumbnailService, private notify: NotifyService) { super(); }
  async process(job: Job<{ image: Buffer }>): Promise<void> {
    const out = await this.thumbnails.render(job.data.image);
    await this.notify.publish(`thumbs/${job.id}`, out);
  }
  @OnWorkerEvent('completed')
  onCompleted(job: Job) { console.log('done', job.id); }
}
