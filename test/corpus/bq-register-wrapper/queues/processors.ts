import type { Job } from 'bullmq';
import sharp from 'sharp';
import { Pool } from 'pg';

const pool = new Pool();

export const traceDeleteProcessor = async (job: Job<{ ids: string[] }>) => {
  await pool.query('DELETE FROM traces WHERE id = ANY($1)', [job.data.ids]);
};

export async function thumbnailProcessor(job: Job<{ path: string }>): Promise<Buffer> {
  return sharp(job.data.path).resize(128).toBuffer();
}

// A factory: the processor it returns is the one registered.
export const evalProcessorBuilder = (shard: string) => async (job: Job<{ url: string }>) => {
  const res = await fetch(job.data.url, { headers: { 'x-shard': shard } });
  return res.json();
};
