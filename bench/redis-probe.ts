// Counts the commands Redis executed during a stretch of a case (INFO commandstats, which also
// counts the commands Lua scripts run): the per-task command mix says where a broker's round
// trips go.
import { Redis } from 'ioredis';
import { percentile } from './stats.ts';

export interface CommandMix {
  /** Commands per task, total (scripts' inner commands included). */
  total: number;
  /** redis-server CPU time per task, µs. */
  cpuUs: number;
  /** Per command, per task, largest first. */
  byCommand: Record<string, number>;
}

export class RedisProbe {
  private readonly client: Redis;

  constructor(port: number) {
    this.client = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
  }

  private cpuAtReset = 0;

  async reset(): Promise<void> {
    await this.client.config('RESETSTAT');
    this.cpuAtReset = await this.cpuSeconds();
  }

  private async cpuSeconds(): Promise<number> {
    const info = await this.client.info('cpu');
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
    return field('used_cpu_user') + field('used_cpu_sys');
  }

  /** The commands since reset(), divided by the tasks processed meanwhile. */
  async perTask(tasks: number): Promise<CommandMix> {
    const cpuUs = Math.round(((await this.cpuSeconds()) - this.cpuAtReset) * 1e6 / tasks);
    const info = await this.client.info('commandstats');
    const byCommand: Record<string, number> = {};
    let total = 0;
    for (const [, name, calls] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      if (/^(info|config)\b/.test(name)) continue; // the probe's own (config|resetstat in Redis 7)
      byCommand[name] = Math.round((Number(calls) / tasks) * 100) / 100;
      total += Number(calls);
    }
    const sorted = Object.entries(byCommand).sort((a, b) => b[1] - a[1]).filter(([, perTask]) => perTask >= 0.01);
    return { total: Math.round((total / tasks) * 100) / 100, cpuUs, byCommand: Object.fromEntries(sorted) };
  }

  /** Median of sequential PINGs, ms: the floor any broker round trip on this Redis pays. */
  async pingMs(samples = 50): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await this.client.ping();
      times.push(performance.now() - started);
    }
    return percentile(times, 50);
  }

  async close(): Promise<void> {
    await this.client.quit();
  }
}
