// A worker's pool as the Workers view shows it: "threads × 4", or while autoscaling its size now
// against its max, "threads 3/8 (autoscale 1–8)", from the heartbeat or else the config.
import type { WorkerConfig } from 'tasklane/config';
import { defaultConcurrency, type WorkerInfo } from 'tasklane/contract';

export function poolSize(live: WorkerInfo | undefined, config: WorkerConfig | undefined): string {
  const pool = live?.pool ?? config?.pool;
  const range = live ? live.autoscale : config?.autoscale && { min: config.autoscale.min ?? 1, max: config.autoscale.max };
  if (range) {
    const autoscale = `(autoscale ${range.min}–${range.max})`;
    return live ? `${pool} ${live.concurrency}/${range.max} ${autoscale}` : `${pool} ${autoscale}`;
  }
  const concurrency = live?.concurrency ?? config?.concurrency ?? (pool && defaultConcurrency(pool));
  return `${pool ?? '?'}${concurrency ? ` × ${concurrency}` : ''}`;
}
