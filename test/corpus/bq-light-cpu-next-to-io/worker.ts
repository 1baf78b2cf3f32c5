import { Worker } from 'bullmq';

interface Summary { id: string; spend: number; tags: string[] }

new Worker('usage-sync', async (job) => {
  const response = await fetch(`https://billing.example/api/usage?since=${job.data.since}`);
  const body = JSON.parse(await response.text()) as { items: string[] };
  const summaries: Summary[] = body.items.map((item) => JSON.parse(item));
  const byTag = new Map<string, number>();
  for (const summary of summaries) {
    for (const tag of summary.tags) byTag.set(tag, (byTag.get(tag) ?? 0) + summary.spend);
  }
  const report = JSON.stringify(Object.fromEntries(byTag));
  const audit = JSON.stringify(summaries.filter((s) => s.spend > 0));
  const previous = JSON.parse(job.data.previous ?? '{}');
  return { report, audit, changed: JSON.stringify(previous) !== report };
});
