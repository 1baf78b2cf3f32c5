// One fresh broker URL per call, of each kind, for tests that run real workers on every broker:
// memory, file (in a scratch folder removed after the file) and redis (a real redis-server, a
// fresh key prefix per URL). Call at the top of a test file: it registers its before/after hooks.
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createBroker, type Broker } from 'tasklane/broker';
import { startRedis, type RedisServer } from './redis.ts';

export function freshBrokers(name: string): { scratch: string; urls: Record<'memory' | 'file' | 'redis', () => string> } {
  const scratch = mkdtempSync(join(tmpdir(), `tasklane-${name}-`));
  let redis: RedisServer;
  before(async () => { redis = await startRedis(); });
  after(async () => {
    await redis?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });
  return {
    scratch,
    urls: {
      memory: () => `memory://${name}-${randomUUID().slice(0, 8)}`,
      file: () => `file://${join(scratch, randomUUID().slice(0, 8))}`,
      redis: () => `${redis.url}?prefix=${randomUUID().slice(0, 8)}`,
    },
  };
}

/** A connected broker for the length of `work`, closed after it. */
export async function withBroker<T>(url: string, work: (broker: Broker) => Promise<T>): Promise<T> {
  const broker = createBroker(url);
  await broker.connect();
  try {
    return await work(broker);
  } finally {
    await broker.close();
  }
}
