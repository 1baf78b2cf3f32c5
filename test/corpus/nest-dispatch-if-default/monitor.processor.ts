import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { MonitorService } from './monitor.service';

export const PRUNE_JOB = 'prune';
const staleAfterMs = () => Number(process.env.MONITOR_STALE_MS ?? 60_000);

@Processor('monitor')
export class MonitorProcessor extends WorkerHost {
  constructor(private readonly monitor: MonitorService) { super(); }

  async process(job: Job): Promise<unknown> {
    if (job.name === PRUNE_JOB) {
      const deleted = await this.monitor.prune();
      return { deleted };
    }
    if (Date.now() - job.timestamp > staleAfterMs()) return { skipped: 'stale' };
    return this.monitor.check(job.data.urls);
  }
}
