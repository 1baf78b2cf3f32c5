import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { scryptSync } from 'node:crypto';

@Processor()
export class TokenConsumer {
  @Process('derive')
  derive(job: Job<{ secret: string; salt: string }>) {
    return scryptSync(job.data.secret, job.data.salt, 64).toString('hex');
  }
}
