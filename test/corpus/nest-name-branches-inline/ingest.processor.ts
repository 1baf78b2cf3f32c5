import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { readFile } from 'node:fs/promises';
import { Pool } from 'pg';

@Processor('ingest')
export class IngestProcessor extends WorkerHost {
  constructor(private readonly db: Pool) { super(); }

  async process(job: Job<{ id: string; content?: string; path?: string }>): Promise<void> {
    let content = '';
    if (job.name === 'text') {
      content = job.data.content ?? '';
    } else if (job.name === 'file') {
      content = await readFile(job.data.path!, 'utf8');
    } else {
      throw new Error(`unknown job ${job.name}`);
    }
    const paragraphs = content.split(/\n\s*\n/);
    for (const [index, paragraph] of paragraphs.entries()) {
      await this.db.query('insert into paragraphs (doc, idx, body) values ($1, $2, $3)', [job.data.id, index, paragraph]);
    }
  }
}
