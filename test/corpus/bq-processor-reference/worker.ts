import { Worker, Job } from 'bullmq';
import { Pool } from 'pg';
const pg = new Pool();
async function recordSignup(job: Job<{ userId: string }>) {
  await pg.query('insert into signups(user_id) values ($1)', [job.data.userId]);
}
const worker = new Worker('signups', recordSignup, { connection: { host: 'redis' } });
worker.on('failed', (job, err) => console.error(job?.id, err));
