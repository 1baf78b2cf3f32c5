import { Worker } from 'bullmq';
import { Invoice } from './models';

new Worker('invoices', async (job) => {
  const invoice = await Invoice.query().findById(job.data.id);
  const lines = (await invoice.$relatedQuery('lines')).map((line: { amount: number }) => line.amount);
  await Invoice.query().patch({ total: lines.reduce((a: number, b: number) => a + b, 0) }).where('id', job.data.id);
}, { connection: { host: 'redis' } });
