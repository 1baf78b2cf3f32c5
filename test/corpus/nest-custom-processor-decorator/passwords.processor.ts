import type { Job } from 'bullmq';
import * as bcrypt from 'bcrypt';
import { BaseProcessor } from './base.processor';
import { TracedProcessor } from './queue.decorator';
import { Queues } from './queues';

@TracedProcessor(Queues.Passwords)
export class PasswordsProcessor extends BaseProcessor {
  async process(job: Job<{ password: string }>): Promise<string> {
    return bcrypt.hash(job.data.password, 12);
  }
}
