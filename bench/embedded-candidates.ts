// Storage candidates for the embedded broker, side by side (issue 12, step 1): each one's no-op
// enqueue + fetch + ack throughput with the producer and the consumer in two processes, and the
// round trip (publish, the consumer stores a result, the producer sees it).
//   node --import tsx bench/embedded-candidates.ts [--n 20000] [--rounds 400] [--only file,lmdb,...]
// Candidates: file (today's broker, the baseline), lmdb (the `lmdb` package), sqlite (node:sqlite
// on Node 22.5+, else better-sqlite3 when installed), log (append-only logs in pure JS), socket (a
// broker process on a Unix socket, in memory, with an append-only journal). Each is the smallest
// form of the idea that does the same work: a prototype to measure, not the product.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdtempSync, openSync, readSync, rmSync, watch, writeSync, type FSWatcher } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { FileBroker } from '../runtime/src/broker/file.ts';
import type { Delivery } from '../runtime/src/broker/broker.ts';

interface Message { id: string; raw: string }
interface Candidate {
  put(m: Message): void | Promise<void>;
  fetch(max: number, waitMs: number): Promise<Message[]>;
  ack(ids: string[]): void | Promise<void>;
  storeResult(id: string, raw: string): void | Promise<void>;
  waitResult(id: string, timeoutMs: number): Promise<string | undefined>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : fallback; };

/** Parks callers until `poke` (an fs.watch event or a pushed reply), or a timeout. */
class Signal {
  private waiters = new Set<() => void>();
  gen = 0;
  poke() { this.gen++; for (const w of [...this.waiters]) w(); }
  wait(ms: number, since: number): Promise<void> {
    if (since !== this.gen) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { clearTimeout(t); this.waiters.delete(done); resolve(); };
      const t = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}

/** A file rewritten after each commit, watched by the other processes (inotify): the cross-process wake-up of lmdb, sqlite, log. */
class WakeFile {
  readonly signal = new Signal();
  private fd: number;
  private watcher: FSWatcher;
  constructor(path: string) {
    this.fd = openSync(path, 'a+');
    this.watcher = watch(path, { persistent: false }, () => this.signal.poke());
  }
  poke() { writeSync(this.fd, '1'); }
  close() { this.watcher.close(); closeSync(this.fd); }
}

async function poll<T>(signal: Signal, waitMs: number, look: () => T | undefined): Promise<T | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const seen = signal.gen;
    const found = look();
    if (found !== undefined || Date.now() >= deadline) return found;
    await signal.wait(Math.min(100, deadline - Date.now()), seen);
  }
}

function fileCandidate(dir: string): Candidate {
  const broker = new FileBroker(dir);
  const held = new Map<string, Delivery>();
  return {
    put: (m) => broker.publishRaw('q', m.raw),
    async fetch(max, waitMs) {
      const ds = await broker.fetch(['q'], max, { waitMs });
      return ds.map((d) => { const id = JSON.parse(d.raw).id; held.set(id, d); return { id, raw: d.raw }; });
    },
    ack: (ids) => { const ds = ids.map((id) => held.get(id)!); ids.forEach((id) => held.delete(id)); return broker.ack(ds); },
    storeResult: (id, raw) => broker.storeResult({ id, task: 'noop', state: 'SUCCESS', result: raw, finishedAt: Date.now() }, 86_400_000),
    waitResult: async (id, ms) => JSON.stringify((await broker.waitForResult(id, ms))?.result),
    close: () => broker.close(),
  };
}

function lmdbCandidate(dir: string): Candidate {
  const { open } = require('lmdb');
  // noSync: a commit survives any process's crash (the OS has the pages), not power loss: today's promise.
  const env = open({ path: join(dir, 'store.mdb'), noSync: true, encoding: 'string' });
  const ready = env.openDB({ name: 'ready', encoding: 'string' });
  const reserved = env.openDB({ name: 'reserved', encoding: 'string' });
  const results = env.openDB({ name: 'results', encoding: 'string' });
  const wake = new WakeFile(join(dir, 'wake'));
  let seq = 0;
  const tag = process.pid * 1e9;
  return {
    // put (not putSync): lmdb commits the puts of one turn in one transaction, off the main thread.
    async put(m) { await ready.put(tag + seq++, m.raw); wake.poke(); },
    fetch: (max, waitMs) => poll(wake.signal, waitMs, () => {
      const out: Message[] = env.transactionSync(() => {
        const got: Message[] = [];
        for (const { key, value } of ready.getRange({ limit: max })) {
          ready.removeSync(key);
          reserved.putSync(key, value);
          got.push({ id: JSON.parse(value).id, raw: value });
        }
        return got;
      });
      return out.length ? out : undefined;
    }).then((x) => x ?? []),
    // Keys are not kept here: a real broker keeps the key in the receipt.
    ack(ids) { env.transactionSync(() => { for (const { key, value } of reserved.getRange()) if (ids.includes(JSON.parse(value).id)) reserved.removeSync(key); }); },
    storeResult(id, raw) { results.putSync(id, raw); wake.poke(); },
    // A read sees the snapshot of its transaction, which lmdb renews only a timer later: renew now.
    waitResult: (id, ms) => poll(wake.signal, ms, () => { results.resetReadTxn(); return results.get(id); }),
    async close() { wake.close(); await env.close(); },
  };
}

function sqliteCandidate(dir: string): Candidate {
  let Database: new (path: string) => { exec(sql: string): void; prepare(sql: string): { run(...a: unknown[]): unknown; all(...a: unknown[]): unknown[]; get(...a: unknown[]): unknown }; close(): void };
  try {
    Database = require('node:sqlite').DatabaseSync;
  } catch {
    Database = require(process.env.BETTER_SQLITE3 ?? 'better-sqlite3');
  }
  const db = new Database(join(dir, 'store.db'));
  // WAL + synchronous=OFF: survives a process crash, not power loss (as today).
  db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA busy_timeout=5000;');
  db.exec('CREATE TABLE IF NOT EXISTS msg (seq INTEGER PRIMARY KEY, id TEXT, raw TEXT, owner INTEGER, deadline INTEGER); CREATE INDEX IF NOT EXISTS ready ON msg(owner, seq); CREATE TABLE IF NOT EXISTS result (id TEXT PRIMARY KEY, raw TEXT)');
  const insert = db.prepare('INSERT INTO msg (id, raw) VALUES (?, ?)');
  const claim = db.prepare('UPDATE msg SET owner = ?, deadline = ? WHERE seq IN (SELECT seq FROM msg WHERE owner IS NULL ORDER BY seq LIMIT ?) RETURNING id, raw');
  const del = db.prepare('DELETE FROM msg WHERE id = ?');
  const putResult = db.prepare('INSERT OR REPLACE INTO result VALUES (?, ?)');
  const getResult = db.prepare('SELECT raw FROM result WHERE id = ?');
  const wake = new WakeFile(join(dir, 'wake'));
  return {
    put(m) { insert.run(m.id, m.raw); wake.poke(); },
    fetch: (max, waitMs) => poll(wake.signal, waitMs, () => {
      const got = claim.all(process.pid, Date.now() + 1_800_000, max) as Message[];
      return got.length ? got.map((r) => ({ id: r.id, raw: r.raw })) : undefined;
    }).then((x) => x ?? []),
    ack(ids) { db.exec('BEGIN'); for (const id of ids) del.run(id); db.exec('COMMIT'); },
    storeResult(id, raw) { putResult.run(id, raw); wake.poke(); },
    waitResult: (id, ms) => poll(wake.signal, ms, () => (getResult.get(id) as { raw: string } | undefined)?.raw),
    async close() { wake.close(); db.close(); },
  };
}

/** Lines appended with O_APPEND (one write each, so never interleaved), read on from an offset. */
class Log {
  private fd: number;
  private offset = 0;
  private partial = '';
  private buf = Buffer.alloc(1 << 20);
  constructor(readonly path: string) { this.fd = openSync(path, 'a+'); }
  append(text: string) { appendFileSync(this.fd, text); }
  *read(): Generator<string[]> {
    for (;;) {
      const n = readSync(this.fd, this.buf, 0, this.buf.length, this.offset);
      if (!n) return;
      this.offset += n;
      const lines = (this.partial + this.buf.toString('utf8', 0, n)).split('\n');
      this.partial = lines.pop()!;
      for (const line of lines) yield line.split('\t');
    }
  }
  close() { closeSync(this.fd); }
}

function logCandidate(dir: string): Candidate {
  // Queue log: P id raw | C id owner (the first claim in log order wins) | A id. Results log: R id raw.
  const queue = new Log(join(dir, 'queue.log'));
  const results = new Log(join(dir, 'results.log'));
  const wake = new WakeFile(join(dir, 'wake'));
  const me = String(process.pid);
  const waiting = new Map<string, string>();
  const owner = new Map<string, string>();
  const known = new Map<string, string>();
  const replay = () => {
    for (const [op, id, rest] of queue.read()) {
      if (op === 'P') { waiting.set(id, rest); }
      else if (op === 'C' && !owner.has(id)) { owner.set(id, rest); waiting.delete(id); }
      else if (op === 'A') { owner.delete(id); }
    }
  };
  return {
    put(m) { queue.append(`P\t${m.id}\t${m.raw}\n`); wake.poke(); },
    fetch: (max, waitMs) => poll(wake.signal, waitMs, () => {
      replay();
      const want = [...waiting.keys()].slice(0, max);
      if (!want.length) return undefined;
      const raws = new Map(want.map((id) => [id, waiting.get(id)!]));
      queue.append(want.map((id) => `C\t${id}\t${me}\n`).join(''));
      replay();
      const won = want.filter((id) => owner.get(id) === me).map((id) => ({ id, raw: raws.get(id)! }));
      return won.length ? won : undefined;
    }).then((x) => x ?? []),
    ack(ids) { queue.append(ids.map((id) => `A\t${id}\n`).join('')); },
    storeResult(id, raw) { results.append(`R\t${id}\t${raw}\n`); wake.poke(); },
    waitResult: (id, ms) => poll(wake.signal, ms, () => {
      for (const [, rid, raw] of results.read()) known.set(rid, raw);
      return known.get(id);
    }),
    async close() { wake.close(); queue.close(); results.close(); },
  };
}

/** The broker process of the socket candidate: queues in memory, every change journaled (written, not fsynced) before it is answered. */
function serveSocket(dir: string): void {
  const journal = openSync(join(dir, 'journal.log'), 'a');
  const ready: Message[] = [];
  const reserved = new Map<string, string>();
  const results = new Map<string, string>();
  const fetchers: Array<{ max: number; reply: (ms: Message[]) => void }> = [];
  const resultWaiters = new Map<string, Array<(raw: string) => void>>();
  let pending: string[] = [];
  const journalLine = (line: string) => {
    if (!pending.length) queueMicrotask(() => { writeSync(journal, pending.join('')); pending = []; });
    pending.push(line);
  };
  const serveFetchers = () => {
    while (fetchers.length && ready.length) {
      const f = fetchers.shift()!;
      const got = ready.splice(0, f.max);
      for (const m of got) reserved.set(m.id, m.raw);
      journalLine(`C\t${got.map((m) => m.id).join(',')}\n`);
      f.reply(got);
    }
  };
  const server = createServer((socket: Socket) => {
    const send = (rid: number, value: unknown) => socket.write(`${JSON.stringify([rid, value])}\n`);
    createInterface({ input: socket }).on('line', (line) => {
      const [rid, op, a, b] = JSON.parse(line);
      if (op === 'put') { journalLine(`P\t${a.id}\t${a.raw}\n`); ready.push(a); serveFetchers(); send(rid, 1); }
      else if (op === 'fetch') {
        const got = ready.splice(0, a);
        if (got.length) { for (const m of got) reserved.set(m.id, m.raw); journalLine(`C\t${got.map((m) => m.id).join(',')}\n`); send(rid, got); }
        else {
          const f = { max: a, reply: (ms: Message[]) => { clearTimeout(t); send(rid, ms); } };
          const t = setTimeout(() => { fetchers.splice(fetchers.indexOf(f), 1); send(rid, []); }, b);
          fetchers.push(f);
        }
      } else if (op === 'ack') { for (const id of a) reserved.delete(id); journalLine(`A\t${a.join(',')}\n`); send(rid, 1); }
      else if (op === 'result') {
        results.set(a, b); journalLine(`R\t${a}\t${b}\n`);
        for (const w of resultWaiters.get(a) ?? []) w(b);
        resultWaiters.delete(a);
        send(rid, 1);
      } else if (op === 'wait') {
        if (results.has(a)) send(rid, results.get(a));
        else resultWaiters.set(a, [...(resultWaiters.get(a) ?? []), (raw) => send(rid, raw)]);
      }
    });
  });
  server.listen(join(dir, 'broker.sock'), () => console.log('ready'));
}

async function socketCandidate(dir: string): Promise<Candidate> {
  const socket = connect(join(dir, 'broker.sock'));
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let rid = 0;
  const calls = new Map<number, (v: unknown) => void>();
  createInterface({ input: socket }).on('line', (line) => { const [id, v] = JSON.parse(line); calls.get(id)!(v); calls.delete(id); });
  // Requests written in one turn go out in one write.
  let out: string[] = [];
  const call = <T>(...req: unknown[]) => new Promise<T>((resolve) => {
    const id = rid++;
    calls.set(id, resolve as (v: unknown) => void);
    if (!out.length) queueMicrotask(() => { socket.write(out.join('')); out = []; });
    out.push(`${JSON.stringify([id, ...req])}\n`);
  });
  return {
    put: (m) => call<void>('put', m),
    fetch: (max, waitMs) => call<Message[]>('fetch', max, waitMs),
    ack: (ids) => call<void>('ack', ids),
    storeResult: (id, raw) => call<void>('result', id, raw),
    waitResult: (id, ms) => Promise.race([call<string>('wait', id), new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]),
    async close() { socket.end(); },
  };
}

function make(kind: string, dir: string): Candidate | Promise<Candidate> {
  switch (kind) {
    case 'file': return fileCandidate(dir);
    case 'lmdb': return lmdbCandidate(dir);
    case 'sqlite': return sqliteCandidate(dir);
    case 'log': return logCandidate(dir);
    case 'socket': return socketCandidate(dir);
    default: throw new Error(`unknown candidate ${kind}`);
  }
}

/** The consumer process: fetch up to 100, store a result for round-trip messages, ack; says how many it consumed. */
async function consume(kind: string, dir: string): Promise<void> {
  const c = await make(kind, dir);
  console.log('ready');
  let count = 0;
  const target = Number(opt('n', '0'));
  for (;;) {
    const got = await c.fetch(100, 1000);
    for (const m of got) if (m.raw.includes('"rt"')) await c.storeResult(m.id, '1');
    if (got.length) await c.ack(got.map((m) => m.id));
    count += got.length;
    if (count === target) console.log('drained');
    if (got.some((m) => m.raw.includes('"stop"'))) break;
  }
  await c.close();
  process.exit(0);
}

function lines(child: ChildProcess): (want: string) => Promise<void> {
  const seen: string[] = [];
  const waiters: Array<[string, () => void]> = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    const i = waiters.findIndex(([w]) => w === l);
    if (i >= 0) waiters.splice(i, 1)[0][1]();
    else seen.push(l);
  });
  return (want) => new Promise((resolve) => {
    const i = seen.indexOf(want);
    if (i >= 0) { seen.splice(i, 1); resolve(); } else waiters.push([want, resolve]);
  });
}

async function measure(kind: string, n: number, rounds: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), `tasklane-cand-${kind}-`));
  const self = fileURLToPath(import.meta.url);
  const node = (role: string) => spawn(process.execPath, [...process.execArgv, self, '--role', role, '--cand', kind, '--dir', dir, '--n', String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let server: ChildProcess | undefined;
  if (kind === 'socket') { server = node('server'); await lines(server)('ready'); }
  const consumer = node('consumer');
  const next = lines(consumer);
  await next('ready');
  const c = await make(kind, dir);
  const body = (i: number) => `{"id":"m${i}","task":"noop","args":[]}`;
  const t0 = performance.now();
  for (let i = 0; i < n; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 500); j++) batch.push(c.put({ id: `m${j}`, raw: body(j) }));
    await Promise.all(batch);
  }
  const published = performance.now() - t0;
  await next('drained');
  const drained = performance.now() - t0;
  const rt: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const id = `r${i}`;
    const s = performance.now();
    await c.put({ id, raw: `{"id":"${id}","rt":1}` });
    if ((await c.waitResult(id, 5000)) === undefined) throw new Error(`${kind}: no result for ${id}`);
    rt.push(performance.now() - s);
  }
  await c.put({ id: 'stop', raw: '{"id":"stop","stop":1}' });
  await new Promise((resolve) => consumer.once('exit', resolve));
  await c.close();
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
  rt.sort((a, b) => a - b);
  return {
    candidate: kind, node: process.version, n,
    publishPerS: Math.round(n / (published / 1000)), drainPerS: Math.round(n / (drained / 1000)),
    rtP50Ms: +rt[Math.floor(rt.length / 2)].toFixed(3), rtP95Ms: +rt[Math.floor(rt.length * 0.95)].toFixed(3),
  };
}

const role = opt('role', 'main');
if (role === 'consumer') await consume(opt('cand', ''), opt('dir', ''));
else if (role === 'server') serveSocket(opt('dir', ''));
else {
  const kinds = opt('only', 'file,lmdb,sqlite,log,socket').split(',');
  for (const kind of kinds) {
    try {
      console.log(JSON.stringify(await measure(kind, Number(opt('n', '20000')), Number(opt('rounds', '400')))));
    } catch (error) {
      console.log(JSON.stringify({ candidate: kind, node: process.version, error: (error as Error).message }));
    }
  }
}
