import type { Job } from 'bullmq';
export default function dedupe(job: Job<{ records: Array<{ email: string; name: string }> }>) {
  const { records } = job.data;
  const unique: typeof records = [];
  for (const record of records) {
    let seen = false;
    for (const kept of unique) if (kept.email === record.email) { seen = true; break; }
    if (!seen) unique.push(record);
  }
  return unique;
}
