import { Worker } from 'bullmq';
import dedupe from './processors/dedupe.ts';
new Worker('imports', dedupe, { connection: { host: 'redis' } });
