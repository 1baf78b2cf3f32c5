// npm packages, by what their calls spend time on. A key ending in "/*" matches a scope or a
// package's subpaths ("@aws-sdk/*"). Add a package: one line in the right group.
import type { ApiFact, Cost, ModuleFacts } from './effects.ts';

function group(effect: ApiFact['effect'], why: string, packages: Record<string, string>, cost?: Cost): Record<string, ModuleFacts> {
  const table: Record<string, ModuleFacts> = {};
  for (const [name, about] of Object.entries(packages)) table[name] = { about, default: { effect, why, ...(cost && { cost }) } };
  return table;
}

/** Clients whose calls wait on a server: the worker's time goes into waiting. */
const ioClients = group('io', 'waits on the network', {
  pg: 'PostgreSQL client', postgres: 'PostgreSQL client', mysql: 'MySQL client', mysql2: 'MySQL client',
  'mysql2/promise': 'MySQL client', mssql: 'SQL Server client', oracledb: 'Oracle client', tedious: 'SQL Server client',
  mongodb: 'MongoDB client', mongoose: 'MongoDB ODM', '@prisma/client': 'Prisma client', 'drizzle-orm': 'SQL ORM',
  'drizzle-orm/*': 'SQL ORM', knex: 'SQL query builder', sequelize: 'SQL ORM', typeorm: 'SQL ORM', kysely: 'SQL query builder',
  ioredis: 'Redis client', redis: 'Redis client', '@redis/client': 'Redis client', memcached: 'Memcached client',
  cassandra: 'Cassandra client', 'cassandra-driver': 'Cassandra client', '@elastic/elasticsearch': 'Elasticsearch client',
  axios: 'HTTP client', got: 'HTTP client', 'node-fetch': 'HTTP client', undici: 'HTTP client', superagent: 'HTTP client',
  ky: 'HTTP client', 'cross-fetch': 'HTTP client', request: 'HTTP client', 'graphql-request': 'GraphQL client',
  '@aws-sdk/*': 'AWS SDK client', 'aws-sdk': 'AWS SDK client', '@google-cloud/*': 'Google Cloud client',
  '@azure/*': 'Azure client', minio: 'object storage client', nodemailer: 'mail client', '@sendgrid/mail': 'mail client',
  twilio: 'Twilio client', stripe: 'Stripe client', '@slack/web-api': 'Slack client', openai: 'OpenAI client',
  '@anthropic-ai/sdk': 'Anthropic client', amqplib: 'AMQP client', kafkajs: 'Kafka client', nats: 'NATS client',
  bullmq: 'BullMQ queue client', 'bull': 'Bull queue client', 'firebase-admin': 'Firebase client', '@supabase/supabase-js': 'Supabase client',
  'ssh2': 'SSH client', 'ssh2-sftp-client': 'SFTP client', 'basic-ftp': 'FTP client', ws: 'WebSocket client',
  'socket.io-client': 'Socket.IO client', puppeteer: 'headless browser driver', 'playwright': 'browser driver',
  'playwright-core': 'browser driver', 'p-retry': 'retry helper', 'dns2': 'DNS client', '@nestjs/axios': 'HTTP client (NestJS HttpService)',
  'node-mailjet': 'Mailjet client',
});

/** Drivers of another program: the work happens in the child, the worker waits for it. */
const childRunners = group('io', 'runs another program: the work happens in the child process, the worker only waits', {
  execa: 'child process runner', zx: 'shell scripting', 'cross-spawn': 'child process runner',
  'fluent-ffmpeg': 'ffmpeg driver (child process)', gm: 'GraphicsMagick driver (child process)',
  imagemagick: 'ImageMagick driver (child process)', 'libreoffice-convert': 'LibreOffice driver (child process)',
  'node-tesseract-ocr': 'Tesseract driver (child process)', 'ghostscript4js': 'Ghostscript binding',
}, 'wait-child');

const fileSystem = group('io', 'does file I/O through libuv: it waits on the disk without blocking', {
  'fs-extra': 'file system', graceful_fs: 'file system', 'graceful-fs': 'file system',
}, 'wait-disk');

/** Native code that runs on libuv's thread pool: CPU-heavy, the event loop keeps running. */
const offloaded = group('cpu-offloaded', 'runs native code on libuv\'s thread pool: CPU-heavy, but the event loop keeps running', {
  sharp: 'native image processing (libvips)', bcrypt: 'native password hashing', argon2: 'native password hashing',
  '@node-rs/argon2': 'native password hashing', '@node-rs/bcrypt': 'native password hashing',
  'canvas': 'native 2D canvas', '@napi-rs/canvas': 'native 2D canvas',
  'onnxruntime-node': 'native ML inference', '@tensorflow/tfjs-node': 'native TensorFlow',
  // Compresses through zlib streams, whose work runs on the thread pool.
  archiver: 'zip/tar archiver (zlib streams)',
});

/** CPU-heavy work the library moves to worker threads of its own. */
const ownThreads = group('cpu-offloaded', 'runs its CPU work in worker threads of its own: CPU-heavy, but the event loop keeps running', {
  'tesseract.js': 'OCR (WebAssembly in worker threads)', piscina: 'worker thread pool', workerpool: 'worker pool',
});

/** Pure JavaScript that does its heavy work on the calling thread: CPU-bound and blocking. */
const pureJsHeavy = group('cpu-blocking', 'does its heavy work in pure JavaScript on the event loop', {
  jimp: 'pure-JS image processing', bcryptjs: 'pure-JS password hashing', pdfkit: 'pure-JS PDF generation',
  'pdf-lib': 'pure-JS PDF editing', 'pdfjs-dist': 'pure-JS PDF parsing', 'pdf-parse': 'pure-JS PDF parsing',
  xlsx: 'pure-JS spreadsheet engine', exceljs: 'pure-JS spreadsheet engine', marked: 'pure-JS Markdown renderer',
  'markdown-it': 'pure-JS Markdown renderer', showdown: 'pure-JS Markdown renderer', 'remark': 'pure-JS Markdown processor',
  'highlight.js': 'pure-JS syntax highlighter', prismjs: 'pure-JS syntax highlighter',
  'js-sha256': 'pure-JS hashing', 'js-sha3': 'pure-JS hashing', tweetnacl: 'pure-JS cryptography', 'node-forge': 'pure-JS cryptography',
  pako: 'pure-JS compression', fflate: 'pure-JS compression', jszip: 'pure-JS zip', 'adm-zip': 'pure-JS zip',
  cheerio: 'pure-JS HTML parser', '@react-pdf/renderer': 'pure-JS PDF layout (React)', mjml: 'pure-JS email layout',
  'heic-convert': 'HEIC decoding in pure JS/WebAssembly', officeparser: 'pure-JS Office document parser',
  '@ffmpeg/ffmpeg': 'ffmpeg in WebAssembly', 'html-pdf-node': 'PDF rendering',
  jsdom: 'pure-JS DOM', 'mathjs': 'pure-JS math', 'ml-matrix': 'pure-JS linear algebra', 'brain.js': 'pure-JS neural network',
  '@tensorflow/tfjs': 'pure-JS TensorFlow', 'pngjs': 'pure-JS PNG codec',
  'jpeg-js': 'pure-JS JPEG codec', 'gifenc': 'pure-JS GIF encoder', 'sanitize-html': 'pure-JS HTML sanitizer',
  'terser': 'pure-JS minifier', '@babel/core': 'pure-JS compiler', 'typescript': 'pure-JS compiler', 'esprima': 'pure-JS parser',
});

/**
 * Parsers and serialisers of whole documents: synchronous, so the event loop waits in proportion
 * to the document (xml2js's callback API parses synchronously too). Moderate: a feed is small, an
 * export is not; next to real I/O the task stays I/O-bound, but it blocks.
 */
const documentParsers = group('cpu-blocking', 'parses or serialises the whole document synchronously on the event loop (costly for large input)', {
  'fast-xml-parser': 'pure-JS XML parser', xml2js: 'pure-JS XML parser', 'xml-js': 'pure-JS XML parser',
  papaparse: 'pure-JS CSV parser', 'csv-parse/sync': 'pure-JS CSV parser', 'csv-stringify/sync': 'pure-JS CSV writer',
  'js-yaml': 'pure-JS YAML parser', yaml: 'pure-JS YAML parser', 'fast-csv': 'pure-JS CSV parser', 'json5': 'pure-JS JSON5 parser',
}, 'cpu-moderate');

/**
 * Template engines: compiling and rendering a template is string work in proportion to the template
 * and its data: a mail or a page is small, next to the I/O around it. Heavy layout (mjml) is above.
 */
const templateEngines = group('cpu-light', 'renders a template on the event loop (costly only for large templates or data)', {
  handlebars: 'pure-JS templating', ejs: 'pure-JS templating', pug: 'pure-JS templating', mustache: 'pure-JS templating',
  nunjucks: 'pure-JS templating', eta: 'pure-JS templating', liquidjs: 'pure-JS templating',
}, 'cpu-moderate');

/** Libraries whose calls are cheap or irrelevant. */
const neutralLibs = group('neutral', 'does no measurable work', {
  lodash: 'utility library', dayjs: 'dates', 'date-fns': 'dates', zod: 'validation', uuid: 'ids', nanoid: 'ids',
  debug: 'logging', pino: 'logging', winston: 'logging', dotenv: 'configuration', tasklane: 'Tasklane runtime',
  // Concurrency helpers schedule the functions they are given; the work (walked in place) is theirs.
  'p-limit': 'concurrency limiter', 'p-queue': 'promise queue', 'p-map': 'concurrent map', 'p-all': 'concurrent runner',
  // Tracers run the function they are given inside a span: the work (walked in place) is the function's.
  'dd-trace': 'Datadog tracer', '@opentelemetry/api': 'OpenTelemetry tracing API',
  // NestJS plumbing in a processor: its Logger and ConfigService; rxjs only turns an observable (an
  // HttpService call, walked in place) into a promise.
  '@nestjs/common': 'NestJS core (Logger, decorators)', '@nestjs/config': 'NestJS configuration', rxjs: 'observables',
});

/**
 * A BullMQ or Bull job's own fields: the payload the producer sent and its id, plain values, no I/O;
 * its bookkeeping (progress, log lines, data updates) is one small Redis command each, trivial next
 * to the job's work.
 */
const bookkeeping = { effect: 'io', why: 'sends one small command to Redis', cost: 'wait-trivial' } as const;
const jobFields: ModuleFacts['members'] = {
  data: { effect: 'neutral', why: 'is the job\'s payload' },
  id: { effect: 'neutral', why: 'is the job\'s id' },
  updateProgress: bookkeeping, progress: bookkeeping, log: bookkeeping, updateData: bookkeeping, update: bookkeeping,
  extendLock: bookkeeping, getState: bookkeeping,
  discard: { effect: 'neutral', why: 'marks the job not to be retried, in memory' },
};

export const packages: Record<string, ModuleFacts> = {
  ...ioClients,
  ...childRunners,
  ...fileSystem,
  ...offloaded,
  ...ownThreads,
  ...pureJsHeavy,
  ...documentParsers,
  ...templateEngines,
  ...neutralLibs,
  bcrypt: {
    about: 'native password hashing',
    members: {
      hashSync: { effect: 'cpu-blocking', why: 'hashes on the event loop: bcrypt is deliberately slow (use await bcrypt.hash)' },
      compareSync: { effect: 'cpu-blocking', why: 'compares on the event loop: bcrypt is deliberately slow (use await bcrypt.compare)' },
      genSaltSync: { effect: 'cpu-light', why: 'generates a salt synchronously', cost: 'cpu-trivial' },
    },
    default: offloaded.bcrypt.default,
  },
  // Native addons that are not safe in worker threads (they keep global state or crash on unload).
  canvas: { ...offloaded.canvas, isolate: true },
  '@tensorflow/tfjs-node': { ...offloaded['@tensorflow/tfjs-node'], isolate: true },
  bullmq: {
    about: 'BullMQ queue client',
    // A parameter typed `Processor` is a processor handed in by the caller: its work is the caller's, not the client's.
    members: { ...jobFields, Processor: { effect: 'neutral', why: 'is a processor handed in by the caller' } },
    default: ioClients.bullmq.default,
  },
  bull: { about: 'Bull queue client', members: jobFields, default: ioClients.bull.default },
  // Ciphers and hashes in pure JS cost in proportion to the data (a token or a field is small), like
  // node:crypto's createHash; only the key derivations are slow by design.
  'crypto-js': {
    about: 'pure-JS cryptography',
    members: {
      enc: { effect: 'cpu-light', why: 'converts an encoding on the event loop', chain: true, cost: 'cpu-trivial' },
      PBKDF2: { effect: 'cpu-blocking', why: 'derives a key in pure JavaScript on the event loop: deliberately slow' },
      EvpKDF: { effect: 'cpu-blocking', why: 'derives a key in pure JavaScript on the event loop: deliberately slow' },
    },
    default: { effect: 'cpu-light', why: 'encrypts or hashes in pure JavaScript on the event loop (costly only for large data)', cost: 'cpu-moderate' },
  },
  'better-sqlite3': {
    about: 'SQLite (native, synchronous)',
    // The database engine runs in-process: a query is CPU (and page cache) work on the calling thread.
    default: { effect: 'cpu-blocking', why: 'runs the SQLite engine in-process, synchronously: the event loop stops until the query returns' },
  },
};
