import { Worker } from 'bullmq';
import { Client } from 'pg';
import Redis from 'ioredis';

// The store is chosen at start-up: the variable is declared first and assigned in the branches.
export function startArchiver(url: string | undefined) {
  let save: (doc: { id: string }) => Promise<void>;
  if (url) {
    const client = new Client({ connectionString: url });
    save = async (doc) => { await client.query('INSERT INTO archive (id) VALUES ($1)', [doc.id]); };
  } else {
    const redis = new Redis();
    save = async (doc) => { await redis.set(`archive:${doc.id}`, '1'); };
  }
  return new Worker('archive', async (job) => {
    await save(job.data);
  });
}

// A temporary assigned a passing value (as compiled `?.` leaves them): not code the call runs, so
// id.toString() is not a call into bullmq; the handed-in run() leaves the task undecided.
export function startRunner(run: (id: string) => Promise<void>) {
  return new Worker('runs', async (job) => {
    let id;
    id = job.id;
    await run(id.toString());
  });
}
