// Real Redis beyond one server, on loopback ports, for tests:
//   startSentinels(): a primary, a replica and three Sentinels watching them ("mymaster");
//   startCluster(): three primaries forming a Redis Cluster (no replicas).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort, spawnRedis, startRedis, type RedisServer } from './redis.ts';

const run = promisify(execFile);
const REDIS_CLI = process.env.REDIS_CLI ?? 'redis-cli';

export interface Sentinels {
  /** redis+sentinel:// URL naming the three Sentinels and the master, with the data password. */
  url: string;
  primary: RedisServer;
  replica: RedisServer;
  sentinels: RedisServer[];
  stop(): Promise<void>;
}

/** A primary and a replica (password `password`) and three Sentinels that fail over within seconds. */
export async function startSentinels(password: string): Promise<Sentinels> {
  const auth = ['--requirepass', password, '--masterauth', password];
  const primary = await startRedis(auth);
  const replica = await startRedis([...auth, '--replicaof', '127.0.0.1', String(primary.port)]);
  const sentinels: RedisServer[] = [];
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'tasklane-sentinel-'));
    const port = await freePort();
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(conf, [
      `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'loglevel warning',
      `sentinel monitor mymaster 127.0.0.1 ${primary.port} 2`,
      `sentinel auth-pass mymaster ${password}`,
      'sentinel down-after-milliseconds mymaster 1000',
      'sentinel failover-timeout mymaster 5000',
      '',
    ].join('\n'));
    sentinels.push(await spawnRedis(dir, port, [conf, '--sentinel']));
  }
  // Before anything relies on a failover, every Sentinel knows the replica (from the primary's INFO)
  // and the other two (from their hello messages, every 2 s): a Sentinel that knows no other can
  // reach no quorum, and the failover waits until they meet through the replica, if ever.
  const asks = sentinels.map((s) => new Redis({ port: s.port, host: '127.0.0.1' }));
  try {
    for (let i = 0; ; i++) {
      const known = await Promise.all(asks.map(async (ask) => {
        const replicas = await ask.call('SENTINEL', 'REPLICAS', 'mymaster') as unknown[];
        const others = await ask.call('SENTINEL', 'SENTINELS', 'mymaster') as unknown[];
        return replicas.length > 0 && others.length === sentinels.length - 1;
      }));
      if (known.every(Boolean)) break;
      if (i > 300) throw new Error('the Sentinels did not find the replica and each other within 30 s');
      await sleep(100);
    }
  } finally {
    for (const ask of asks) ask.disconnect();
  }
  const hosts = sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
  return {
    url: `redis+sentinel://:${password}@${hosts}/mymaster`,
    primary, replica, sentinels,
    async stop() {
      await Promise.all([...sentinels, primary, replica].map((s) => s.stop()));
    },
  };
}

export interface RedisCluster {
  url: string;
  nodes: RedisServer[];
  stop(): Promise<void>;
}

/** Three cluster-enabled primaries, their slots assigned, resolving once the cluster is ok. */
export async function startCluster(): Promise<RedisCluster> {
  const nodes = await Promise.all([0, 1, 2].map(() => startRedis([
    '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000',
  ])));
  const stop = async () => { await Promise.all(nodes.map((n) => n.stop())); };
  try {
    await run(REDIS_CLI, ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const node of nodes) {
      for (let i = 0; ; i++) {
        const { stdout } = await run(REDIS_CLI, ['-p', String(node.port), 'cluster', 'info']);
        if (/cluster_state:ok/.test(stdout)) break;
        if (i > 300) throw new Error(`cluster node ${node.port} not ok within 30 s: ${stdout}`);
        await sleep(100);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis+cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`, nodes, stop };
}
