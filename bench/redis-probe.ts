// Counts the commands Redis executed during a stretch of a case (INFO commandstats, which also
// counts the commands Lua scripts run): the per-task command mix says where a broker's round
// trips go.
import { Redis } from 'ioredis';

export interface CommandMix {
  /** Commands per task, total (scripts' inner commands included). */
  total: number;
  /** Per command, per task, largest first. */
  byCommand: Record<string, number>;
}

export class RedisProbe {
  private readonly client: Redis;

  constructor(port: number) {
    this.client = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
  }

  async reset(): Promise<void> {
    await this.client.config('RESETSTAT');
  }

  /** The commands since reset(), divided by the tasks processed meanwhile. */
  async perTask(tasks: number): Promise<CommandMix> {
    const info = await this.client.info('commandstats');
    const byCommand: Record<string, number> = {};
    let total = 0;
    for (const [, name, calls] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      if (name === 'info' || name === 'config') continue; // the probe's own
      byCommand[name] = Math.round((Number(calls) / tasks) * 100) / 100;
      total += Number(calls);
    }
    const sorted = Object.entries(byCommand).sort((a, b) => b[1] - a[1]).filter(([, perTask]) => perTask >= 0.01);
    return { total: Math.round((total / tasks) * 100) / 100, byCommand: Object.fromEntries(sorted) };
  }

  async close(): Promise<void> {
    await this.client.quit();
  }
}
