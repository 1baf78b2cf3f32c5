import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AccountService } from './account.service';

@Processor('deletion')
export class DeletionProcessor extends WorkerHost {
  private readonly logger = new Logger(DeletionProcessor.name);
  constructor(private readonly accounts: AccountService) { super(); }

  async process(job: Job<{ userId: string }>): Promise<{ ok: boolean }> {
    const { data: { userId }, name } = job;
    this.logger.log(`job ${name} for ${userId}`);
    if (name === 'initiate') {
      await this.accounts.scheduleDeletion(userId);
    }
    if (name === 'purge') {
      await this.accounts.purge(userId);
    }
    return { ok: true };
  }
}
