import type { Job } from 'bullmq';
import { BaseProcessor } from './base.processor';
import { QueueProcessor } from './queue.decorator';
import { Queues } from './queues';

@QueueProcessor(Queues.Mail)
export class MailProcessor extends BaseProcessor {
  async process(job: Job<{ to: string }>): Promise<void> {
    await fetch('https://mail.example.com/send', { method: 'POST', body: JSON.stringify({ to: job.data.to }) });
  }
}
