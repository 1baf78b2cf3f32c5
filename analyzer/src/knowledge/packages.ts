// npm packages, by what their calls spend time on. A key ending in "/*" matches a scope or a
// package's subpaths ("@aws-sdk/*"). Add a package: one line in the right group.
import type { ApiFact, ModuleFacts } from './effects.ts';

function group(effect: ApiFact['effect'], why: string, packages: Record<string, string>): Record<string, ModuleFacts> {
  const table: Record<string, ModuleFacts> = {};
  for (const [name, about] of Object.entries(packages)) table[name] = { about, default: { effect, why } };
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
  'playwright-core': 'browser driver', execa: 'child process runner', 'fluent-ffmpeg': 'ffmpeg driver',
  'fs-extra': 'file system', 'p-retry': 'retry helper', 'p-limit': 'concurrency limiter', 'dns2': 'DNS client',
});

/** Native code that runs on libuv's thread pool: CPU-heavy, the event loop keeps running. */
const offloaded = group('cpu-offloaded', 'runs native code on libuv\'s thread pool: CPU-heavy, but the event loop keeps running', {
  sharp: 'native image processing (libvips)', bcrypt: 'native password hashing', argon2: 'native password hashing',
  '@node-rs/argon2': 'native password hashing', '@node-rs/bcrypt': 'native password hashing',
  'canvas': 'native 2D canvas', '@napi-rs/canvas': 'native 2D canvas',
  'onnxruntime-node': 'native ML inference', '@tensorflow/tfjs-node': 'native TensorFlow',
});

/** Pure JavaScript that does its heavy work on the calling thread: CPU-bound and blocking. */
const pureJsHeavy = group('cpu-blocking', 'does its heavy work in pure JavaScript on the event loop', {
  jimp: 'pure-JS image processing', bcryptjs: 'pure-JS password hashing', pdfkit: 'pure-JS PDF generation',
  'pdf-lib': 'pure-JS PDF editing', 'pdfjs-dist': 'pure-JS PDF parsing', 'pdf-parse': 'pure-JS PDF parsing',
  xlsx: 'pure-JS spreadsheet engine', exceljs: 'pure-JS spreadsheet engine', marked: 'pure-JS Markdown renderer',
  'markdown-it': 'pure-JS Markdown renderer', showdown: 'pure-JS Markdown renderer', 'remark': 'pure-JS Markdown processor',
  'highlight.js': 'pure-JS syntax highlighter', prismjs: 'pure-JS syntax highlighter', 'crypto-js': 'pure-JS cryptography',
  'js-sha256': 'pure-JS hashing', 'js-sha3': 'pure-JS hashing', tweetnacl: 'pure-JS cryptography', 'node-forge': 'pure-JS cryptography',
  pako: 'pure-JS compression', fflate: 'pure-JS compression', jszip: 'pure-JS zip', 'adm-zip': 'pure-JS zip',
  'fast-xml-parser': 'pure-JS XML parser', xml2js: 'pure-JS XML parser', papaparse: 'pure-JS CSV parser',
  'csv-parse/sync': 'pure-JS CSV parser', 'csv-stringify/sync': 'pure-JS CSV writer', cheerio: 'pure-JS HTML parser',
  jsdom: 'pure-JS DOM', 'mathjs': 'pure-JS math', 'ml-matrix': 'pure-JS linear algebra', 'brain.js': 'pure-JS neural network',
  '@tensorflow/tfjs': 'pure-JS TensorFlow', 'tesseract.js': 'OCR in WebAssembly', 'pngjs': 'pure-JS PNG codec',
  'jpeg-js': 'pure-JS JPEG codec', 'gifenc': 'pure-JS GIF encoder', 'handlebars': 'pure-JS templating', 'ejs': 'pure-JS templating',
  'pug': 'pure-JS templating', 'mustache': 'pure-JS templating', 'sanitize-html': 'pure-JS HTML sanitizer',
  'terser': 'pure-JS minifier', '@babel/core': 'pure-JS compiler', 'typescript': 'pure-JS compiler', 'esprima': 'pure-JS parser',
});

/** Libraries whose calls are cheap or irrelevant. */
const neutralLibs = group('neutral', 'does no measurable work', {
  lodash: 'utility library', dayjs: 'dates', 'date-fns': 'dates', zod: 'validation', uuid: 'ids', nanoid: 'ids',
  debug: 'logging', pino: 'logging', winston: 'logging', dotenv: 'configuration', tasklane: 'Tasklane runtime',
});

export const packages: Record<string, ModuleFacts> = {
  ...ioClients,
  ...offloaded,
  ...pureJsHeavy,
  ...neutralLibs,
  bcrypt: {
    about: 'native password hashing',
    members: {
      hashSync: { effect: 'cpu-blocking', why: 'hashes on the event loop: bcrypt is deliberately slow (use await bcrypt.hash)' },
      compareSync: { effect: 'cpu-blocking', why: 'compares on the event loop: bcrypt is deliberately slow (use await bcrypt.compare)' },
      genSaltSync: { effect: 'cpu-light', why: 'generates a salt synchronously' },
    },
    default: offloaded.bcrypt.default,
  },
  // Native addons that are not safe in worker threads (they keep global state or crash on unload).
  canvas: { ...offloaded.canvas, isolate: true },
  '@tensorflow/tfjs-node': { ...offloaded['@tensorflow/tfjs-node'], isolate: true },
  bullmq: {
    about: 'BullMQ queue client',
    // job.data is the payload the producer sent: plain values, no I/O.
    members: { data: { effect: 'neutral', why: 'is the job\'s payload' } },
    default: ioClients.bullmq.default,
  },
  'better-sqlite3': {
    about: 'SQLite (native, synchronous)',
    // The database engine runs in-process: a query is CPU (and page cache) work on the calling thread.
    default: { effect: 'cpu-blocking', why: 'runs the SQLite engine in-process, synchronously: the event loop stops until the query returns' },
  },
};
