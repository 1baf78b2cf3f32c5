import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'bullmq';
export const worker = new Worker('derive', pathToFileURL(path.join(import.meta.dirname, 'p.mjs')), { connection: { host: 'redis' } });
