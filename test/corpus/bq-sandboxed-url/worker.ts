import { Worker } from 'bullmq';
import { fileURLToPath } from 'node:url';
const processorFile = fileURLToPath(new URL('./transcode.ts', import.meta.url));
new Worker('transcode', processorFile, { connection: { host: 'redis' } });
