import { Worker } from 'bullmq';
new Worker('pdf', `${__dirname}/jobs/pdf.js`, { connection: { host: 'redis' } });
