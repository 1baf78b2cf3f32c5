import { Worker } from 'bullmq';
import { Pool } from 'pg';

const db = new Pool();

interface Hook { name: string; options?: Array<{ key: string; value: string }> }

new Worker('hook-options', async (job) => {
  const hooks: Hook[] = job.data.hooks;
  const rows: Array<[string, string, string]> = [];
  for (const hook of hooks) {
    const options = hook.options ?? [];
    for (const option of options) rows.push([hook.name, option.key, option.value]);
  }
  for (const row of rows) await db.query('insert into hook_options values ($1, $2, $3)', row);
});
