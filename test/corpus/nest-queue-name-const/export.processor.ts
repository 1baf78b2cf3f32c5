import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { readFile } from 'node:fs/promises';
import { JobNames, QUEUES } from './queues';
@Processor(QUEUES.EXPORT, { concurrency: 8 })
export class ExportProcessor extends WorkerHost {
  async process(job: Job<{ path: string }>): Promise<string | number> {
    if (job.name === JobNames.Csv) {
      return this.csv(job.data.path);
    } else if (job.name === JobNames.Json) {
      return this.json(job.data.path);
    }
    throw new Error(`unknown job ${job.name}`);
  }
  private async csv(path: string) { return (await readFile(path, 'utf8')).length; }
  private async json(path: string) {
    const rows: number[][] = JSON.parse(await readFile(path, 'utf8'));
    let total = 0;
    for (const row of rows) for (const other of rows) for (let i = 0; i < row.length; i++) total += row[i] * other[i];
    return total;
  }
}
