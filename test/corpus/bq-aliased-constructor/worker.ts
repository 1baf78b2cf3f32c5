import { Worker } from 'bullmq';
import { WorkerPro } from '@taskforcesh/bullmq-pro';
import axios from 'axios';
const pro = process.env.BULLMQ_PRO === '1';
const W = pro ? WorkerPro : Worker;
new W('webhooks', async (job) => { await axios.post(job.data.url, job.data.body); }, { connection: { host: 'redis' } });
