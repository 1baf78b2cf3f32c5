import { Worker, type Job } from 'bullmq';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
export class ReportService {
  private processor?: (job: Job) => Promise<void>;
  private worker?: Worker;
  constructor(private readonly db: Pool) {}
  init(): void {
    this.processor = async (job: Job) => {
      const template = readFileSync('/etc/report.sql', 'utf8');
      await this.db.query(template, [job.data.id]);
    };
    this.worker = new Worker('reports', this.processor, { connection: { host: 'redis' } });
  }
}
