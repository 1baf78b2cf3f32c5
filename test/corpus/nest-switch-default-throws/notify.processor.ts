import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AuditLog, NotifyService } from './notify.service';

@Processor('notify')
export class NotifyProcessor extends WorkerHost {
  private readonly logger = new Logger(NotifyProcessor.name);
  constructor(private readonly notify: NotifyService, private readonly audit: AuditLog) { super(); }

  async process(job: Job<{ userId: string }>): Promise<void> {
    switch (job.name) {
      case 'email': {
        this.audit.record(job.name);
        await this.notify.email(job.data.userId);
        break;
      }
      case 'push':
        return this.notify.push(job.data.userId);
      default:
        this.logger.warn(`unknown job ${job.name}`);
        throw new Error(`unknown job ${job.name}`);
    }
  }
}
