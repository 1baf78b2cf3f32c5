import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import * as bcrypt from 'bcrypt';
import { BaseProcessor } from './base.processor';
@Processor('passwords')
export class HashProcessor extends BaseProcessor {
  async process(job: Job<{ password: string }>): Promise<string> {
    return bcrypt.hash(job.data.password, 12);
  }
}
