import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { gzipSync } from 'node:zlib';
import { Pool } from 'pg';
@Processor('archive')
export class ArchiveProcessor extends WorkerHost {
  private readonly handlers: Record<string, (job: Job) => Promise<unknown>> = {
    compress: this.compress.bind(this),
    record: this.record.bind(this),
  };
  constructor(private readonly db: Pool) { super(); }
  async process(job: Job) {
    const handler = this.handlers[job.name];
    if (!handler) throw new Error(`no handler for ${job.name}`);
    return handler(job);
  }
  private async compress(job: Job<{ text: string }>) { return gzipSync(job.data.text).toString('base64'); }
  private async record(job: Job<{ id: string }>) { await this.db.query('insert into archive values ($1)', [job.data.id]); }
}
