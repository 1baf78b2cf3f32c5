// Node's own modules. Keys are module names without the "node:" prefix.
import type { ApiFact, Cost, ModuleFacts } from './effects.ts';

const io = (why: string, cost?: Cost): ApiFact => ({ effect: 'io', why, ...(cost && { cost }) });
const neutral: ApiFact = { effect: 'neutral', why: 'does no measurable work' };

/** fs's synchronous calls, each with its fs/promises twin. */
function syncFs(names: string[], cost: Cost): Record<string, ApiFact> {
  const table: Record<string, ApiFact> = {};
  for (const name of names) {
    const asyncName = name.replace(/Sync$/, '');
    table[name] = {
      effect: 'sync-io',
      why: `does file I/O synchronously: the event loop stops until the disk answers (use await ${asyncName}() from fs/promises)`,
      replacement: { name: asyncName, from: 'node:fs/promises' },
      cost,
    };
  }
  return table;
}

/** Metadata operations: one quick round trip to the file system, not a transfer of data. */
const FS_METADATA = ['mkdir', 'stat', 'lstat', 'access', 'unlink', 'rm', 'rmdir', 'rename', 'chmod', 'chown', 'utimes',
  'realpath', 'readlink', 'symlink', 'mkdtemp', 'truncate', 'exists'];
const FS_DATA = ['readFile', 'writeFile', 'appendFile', 'readdir', 'copyFile', 'opendir', 'cp'];

/** fs/promises (and fs's callback forms): data transfers wait on the disk, metadata calls barely. */
function asyncFs(): Record<string, ApiFact> {
  const table: Record<string, ApiFact> = {};
  for (const name of FS_METADATA) table[name] = { ...io('does file I/O through libuv: it waits on the disk without blocking'), cost: 'wait-trivial' };
  return table;
}

const fsFacts: ModuleFacts = {
  about: 'file system',
  members: {
    ...asyncFs(),
    ...syncFs(FS_DATA.map((name) => `${name}Sync`), 'wait-disk'),
    ...syncFs(FS_METADATA.filter((name) => name !== 'exists').map((name) => `${name}Sync`), 'wait-trivial'),
    existsSync: { effect: 'sync-io', why: 'checks the disk synchronously: the event loop stops until it answers', cost: 'wait-trivial' },
    // fs/promises' open returns a FileHandle, not a descriptor: no drop-in replacement.
    openSync: { effect: 'sync-io', why: 'opens a file synchronously: the event loop stops until the disk answers' },
    readSync: { effect: 'sync-io', why: 'reads synchronously: the event loop stops until the disk answers' },
    writeSync: { effect: 'sync-io', why: 'writes synchronously: the event loop stops until the disk answers' },
    fsyncSync: { effect: 'sync-io', why: 'flushes to disk synchronously' },
    promises: { ...io('does file I/O through libuv: it waits on the disk without blocking', 'wait-disk'), chain: true },
    closeSync: neutral,
    createReadStream: { ...io('streams a file: reads wait on the disk without blocking', 'wait-disk'), chain: true },
    createWriteStream: { ...io('streams to a file: writes wait on the disk without blocking', 'wait-disk'), chain: true },
  },
  default: io('does file I/O through libuv: it waits on the disk without blocking', 'wait-disk'),
};

// No mechanical replacement: the async forms take other arguments (a command string vs. a file
// and its arguments) and must be promisified, so the quick fix is not offered.
const syncChild: ApiFact = {
  effect: 'sync-io',
  cost: 'wait-child',
  why: 'waits for the child process with the event loop stopped (await a promisified execFile or spawn instead)',
};

const zlibSync: Record<string, ApiFact> = {};
for (const name of ['gzipSync', 'gunzipSync', 'deflateSync', 'inflateSync', 'deflateRawSync', 'inflateRawSync',
  'unzipSync', 'brotliCompressSync', 'brotliDecompressSync']) {
  zlibSync[name] = { effect: 'cpu-blocking', why: 'compresses or decompresses on the event loop (the async form runs on the thread pool)' };
}

const cryptoFacts: ModuleFacts = {
  about: 'crypto',
  members: {
    pbkdf2Sync: { effect: 'cpu-blocking', why: 'derives a key on the event loop: deliberately slow, and nothing else runs meanwhile' },
    scryptSync: { effect: 'cpu-blocking', why: 'derives a key on the event loop: deliberately slow, and nothing else runs meanwhile' },
    generateKeyPairSync: { effect: 'cpu-blocking', why: 'generates a key pair on the event loop' },
    generatePrimeSync: { effect: 'cpu-blocking', why: 'searches for a prime on the event loop' },
    hkdfSync: { effect: 'cpu-light', why: 'derives a key synchronously (cheap)', cost: 'cpu-trivial' },
    pbkdf2: { effect: 'cpu-offloaded', why: 'derives a key on libuv\'s thread pool: CPU-heavy, but the event loop keeps running' },
    scrypt: { effect: 'cpu-offloaded', why: 'derives a key on libuv\'s thread pool: CPU-heavy, but the event loop keeps running' },
    generateKeyPair: { effect: 'cpu-offloaded', why: 'generates a key pair on libuv\'s thread pool' },
    generatePrime: { effect: 'cpu-offloaded', why: 'searches for a prime on libuv\'s thread pool' },
    createHash: { effect: 'cpu-light', why: 'hashes on the event loop (cheap for small inputs)', chain: true, cost: 'cpu-trivial' },
    createHmac: { effect: 'cpu-light', why: 'computes an HMAC on the event loop (cheap for small inputs)', chain: true, cost: 'cpu-trivial' },
    createCipheriv: { effect: 'cpu-light', why: 'encrypts on the event loop', chain: true },
    createDecipheriv: { effect: 'cpu-light', why: 'decrypts on the event loop', chain: true },
    subtle: { effect: 'cpu-offloaded', why: 'runs Web Crypto off the event loop', chain: true },
    randomBytes: neutral, randomUUID: neutral, randomInt: neutral, timingSafeEqual: neutral,
  },
  default: neutral,
};

export const nodeBuiltins: Record<string, ModuleFacts> = {
  fs: fsFacts,
  'fs/promises': { about: 'file system (promises)', members: asyncFs(), default: io('does file I/O through libuv: it waits on the disk without blocking', 'wait-disk') },
  child_process: {
    about: 'child processes',
    members: {
      execSync: syncChild,
      execFileSync: syncChild,
      spawnSync: syncChild,
      exec: io('runs a command in another process: the work happens there, the worker only waits', 'wait-child'),
      execFile: io('runs a program in another process: the work happens there, the worker only waits', 'wait-child'),
      spawn: io('starts another process: the work happens there, the worker only waits', 'wait-child'),
      fork: io('starts another Node process: the work happens there, the worker only waits', 'wait-child'),
    },
    default: io('talks to another process', 'wait-child'),
  },
  zlib: {
    about: 'compression',
    members: zlibSync,
    default: { effect: 'cpu-offloaded', why: 'compresses on libuv\'s thread pool: CPU-heavy, but the event loop keeps running' },
  },
  crypto: cryptoFacts,
  http: { about: 'HTTP', default: io('waits on the network') },
  https: { about: 'HTTPS', default: io('waits on the network') },
  http2: { about: 'HTTP/2', default: io('waits on the network') },
  net: { about: 'TCP sockets', default: io('waits on the network') },
  tls: { about: 'TLS sockets', default: io('waits on the network') },
  dgram: { about: 'UDP sockets', default: io('waits on the network') },
  dns: { about: 'DNS', default: io('waits on a DNS lookup') },
  'dns/promises': { about: 'DNS', default: io('waits on a DNS lookup') },
  'timers/promises': { about: 'timers', default: io('waits on a timer without using CPU', 'wait-timer') },
  // Callback timers schedule work for later: the task does not wait on them (globals.ts says why).
  timers: { about: 'timers', default: neutral },
  // Runs code synchronously in a context: the event loop waits for whatever the script does.
  vm: { about: 'script contexts', default: { effect: 'cpu-blocking', why: 'compiles and runs code synchronously on the event loop' } },
  stream: { about: 'streams', members: { pipeline: io('pipes a stream: it waits on its source and sink') }, default: neutral },
  'stream/promises': { about: 'streams', default: io('pipes a stream: it waits on its source and sink') },
  events: { about: 'events', members: { once: io('waits for an event') }, default: neutral },
  readline: { about: 'line reader', default: io('reads lines from a stream as they arrive', 'wait-disk') },
  worker_threads: { about: 'worker threads', default: { effect: 'cpu-offloaded', why: 'runs code on another thread' } },
  util: { about: 'utilities', default: neutral },
  path: { about: 'paths', default: neutral },
  url: { about: 'URLs', default: neutral },
  os: { about: 'operating system', default: neutral },
  assert: { about: 'assertions', default: neutral },
  buffer: { about: 'buffers', default: neutral },
  querystring: { about: 'query strings', default: neutral },
  string_decoder: { about: 'string decoding', default: neutral },
  perf_hooks: { about: 'performance hooks', default: neutral },
  process: { about: 'the process', default: neutral },
};
