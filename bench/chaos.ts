// `npm run chaos`: N tasks through every pool on the embedded and Redis brokers while workers,
// their prefork children and Redis are killed, stopped, cut off and stalled; then, once things
// settle, what became of every task. stdout: one JSON line; stderr: progress. Exit code 1 when a
// task is lost or stranded. `--soak`: see chaos/soak.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createBroker, type Broker } from 'tasklane/broker';
import { buildMessage } from 'tasklane/contract';
import { DurableRedis, startWorkers, writeConfig, type WorkerProcess, type WorkerSpec } from './chaos/cluster.ts';
import { FAULTS, Injector, seeded } from './chaos/faults.ts';
import { fileInventory, Ledger, redisInventory, type Account, type Kind } from './chaos/ledger.ts';
import { soak } from './chaos/soak.ts';

const USAGE = `usage: npm run -s chaos -- [--tasks N] [--seconds S] [--brokers file,redis] [--seed K] [--keep]
       npm run -s chaos -- --soak [--redis-tasks N] [--file-tasks N] [--result-ttl 30s] [--brokers file,redis]`;

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '60' },
    brokers: { type: 'string', default: 'file,redis' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    keep: { type: 'boolean', default: false },
    soak: { type: 'boolean', default: false },
    'redis-tasks': { type: 'string', default: '1000000' },
    'file-tasks': { type: 'string', default: '200000' },
    'result-ttl': { type: 'string', default: '30s' },
    help: { type: 'boolean', default: false },
  },
});
const progress = (line: string) => process.stderr.write(`[chaos] ${line}\n`);
const count = (flag: string, text: string) => {
  const n = Number(text);
  if (!(Number.isInteger(n) && n > 0)) {
    process.stderr.write(`--${flag} ${text}: use a positive whole number\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
};
const brokers = values.brokers.split(',').map((b) => b.trim());
if (values.help || !brokers.length || brokers.some((b) => b !== 'file' && b !== 'redis')) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(values.help ? 0 : 2);
}

const QUEUES = ['cpu', 'io'];
/** Every pool, each queue served by two of them, so one killed worker never stops a queue. */
const SPECS: WorkerSpec[] = [
  { name: 'prefork', pool: 'prefork', concurrency: 2, queues: ['cpu'] },
  { name: 'threads', pool: 'threads', concurrency: 2, queues: ['cpu', 'io'] },
  { name: 'solo', pool: 'solo', concurrency: 1, queues: ['io', 'cpu'] },
  { name: 'async', pool: 'async', concurrency: 20, queues: ['io'] },
];

interface Lane {
  name: string;
  producer: Broker;
  ledger: Ledger;
  log: string;
  workers: WorkerProcess[];
  redis?: DurableRedis;
  close(): void;
}

async function lane(name: string, dir: string): Promise<Lane> {
  const log = join(dir, 'executions.log');
  if (name === 'file') {
    const brokerDir = join(dir, 'broker');
    const producer = createBroker(`file://${brokerDir}`);
    writeConfig(dir, `file://${brokerDir}`, SPECS, '1h');
    return { name, producer, log, ledger: new Ledger(producer, log, fileInventory(brokerDir)), workers: startWorkers(dir, name, SPECS), close() {} };
  }
  const redis = await DurableRedis.start(join(dir, 'data'));
  // A killed worker's reservations come back after consumerTimeout: short, to keep the run short.
  writeConfig(dir, `${redis.proxiedUrl}?consumerTimeout=3s`, SPECS, '1h');
  const producer = createBroker(redis.url);
  const look = redisInventory(redis.url, QUEUES);
  return { name, producer, log, redis, ledger: new Ledger(producer, log, look.inventory), workers: startWorkers(dir, name, SPECS), close: look.close };
}

/** Resolves once every worker of the lane has said it is online (heartbeat on the broker), at most `ms`. */
async function online(l: Lane, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const names = new Set((await l.producer.workers().catch(() => [])).map((w) => w.name));
    if (SPECS.every((s) => names.has(s.name))) return;
    await sleep(250);
  }
  throw new Error(`${l.name}: the workers did not come online within ${ms / 1000} s (see ${l.name}/workers.log)`);
}

/** Tasks sent together: a backlog each time, so faults find workers busy and messages reserved. */
const BURST = 40;

/** Sends `n` tasks in bursts spread over `ms`: mostly short work on both queues, some failing, a few poison. */
async function send(l: Lane, n: number, ms: number, random: () => number): Promise<void> {
  const started = Date.now();
  for (let i = 0; i < n; i++) {
    const due = started + (Math.floor(i / BURST) * BURST * ms) / n;
    if (due > Date.now()) await sleep(due - Date.now());
    const roll = random();
    const kind: Kind = roll < 0.9 ? 'work' : roll < 0.97 ? 'fail' : 'poison';
    const cpu = random() < 0.5;
    const queue = cpu ? 'cpu' : 'io';
    const message = kind === 'work'
      ? buildMessage('chaos.work', [l.log, cpu ? 2 + Math.floor(random() * 20) : 10 + Math.floor(random() * 90), cpu], queue, {})
      : kind === 'fail' ? buildMessage('chaos.fail', [l.log], queue, {}) : buildMessage('chaos.unknown', [], queue, {});
    await l.ledger.publish(message, kind);
  }
}

function merge(accounts: Account[]): Omit<Account, 'examples'> {
  const sum = (key: 'sent' | 'succeeded' | 'lost' | 'stranded' | 'executions' | 'duplicates' | 'retries' | 'publishRetries') =>
    accounts.reduce((total, a) => total + a[key], 0);
  const counts = (key: 'failed' | 'deadLettered' | 'unexpected') => {
    const out: Record<string, number> = {};
    for (const a of accounts) for (const [k, v] of Object.entries(a[key])) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    sent: sum('sent'), succeeded: sum('succeeded'), failed: counts('failed'), deadLettered: counts('deadLettered'),
    lost: sum('lost'), stranded: sum('stranded'), unexpected: counts('unexpected'), executions: sum('executions'),
    duplicates: sum('duplicates'), retries: sum('retries'), publishRetries: sum('publishRetries'),
  };
}

async function chaos(): Promise<number> {
  const tasks = count('tasks', values.tasks);
  const seconds = count('seconds', values.seconds);
  const seed = count('seed', values.seed);
  const random = seeded(seed);
  const dir = mkdtempSync(join(tmpdir(), 'tasklane-chaos-'));
  progress(`seed ${seed}, ${tasks} tasks over ${brokers.join(' + ')} in ${seconds} s, run folder ${dir}`);
  const started = Date.now();
  const lanes: Lane[] = [];
  try {
    for (const name of brokers) lanes.push(await lane(name, join(dir, name)));
    await Promise.all(lanes.map((l) => online(l, 120_000)));
    progress('every worker is online: sending, and injecting faults');
    const injector = new Injector(random, { workers: lanes.flatMap((l) => l.workers), redis: lanes.find((l) => l.redis)?.redis }, (line) => progress(`fault: ${line}`));
    const sendMs = seconds * 700;
    const sending = Promise.all(lanes.map((l, i) => send(l, Math.floor(tasks / lanes.length) + (i < tasks % lanes.length ? 1 : 0), sendMs, seeded(seed + i + 1))));
    // At least one fault of each kind, however slowly a loaded machine gets through them.
    const kinds = lanes.some((l) => l.redis) ? FAULTS.length : FAULTS.filter((f) => !f.startsWith('redis-')).length;
    while (Date.now() - started < seconds * 1000 || Object.keys(injector.counts).length < kinds) {
      await injector.inject();
      await sleep(300 + random() * 1200);
    }
    await sending;
    progress('faults over: settling');
    const settleStarted = Date.now();
    await Promise.all(lanes.map((l) => l.ledger.settle(30_000, 180_000, (line) => progress(`${l.name}: ${line}`))));
    const settleMs = Date.now() - settleStarted;
    const byBroker: Record<string, Account> = {};
    for (const l of lanes) byBroker[l.name] = await l.ledger.account();
    const total = merge(Object.values(byBroker));
    const crashes = lanes.flatMap((l) => l.workers.flatMap((w) => w.crashes));
    const line = {
      run: 'chaos', seed, tasks, seconds, brokers, pools: SPECS.map((s) => s.pool), ...total,
      faults: injector.counts, termTimeouts: injector.termTimeouts, crashes, settleMs, wallMs: Date.now() - started, byBroker,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return total.lost || total.stranded ? 1 : 0;
  } finally {
    await Promise.all(lanes.flatMap((l) => l.workers.map((w) => w.retire(20_000))));
    for (const l of lanes) {
      await l.producer.close();
      l.close();
      await l.redis?.stop();
    }
    if (values.keep) progress(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const code = values.soak
  ? await soak({ brokers, redisTasks: count('redis-tasks', values['redis-tasks']), fileTasks: count('file-tasks', values['file-tasks']), resultTtl: values['result-ttl'], progress })
  : await chaos();
process.exit(code);
