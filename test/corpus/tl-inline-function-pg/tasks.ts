import { createApp } from 'tasklane';
import { Pool } from 'pg';
const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = createApp({ name: 'billing' });
app.task('invoices.markPaid', async function markPaid(invoiceId: string) {
  const { rowCount } = await pool.query('update invoices set paid_at = now() where id = $1', [invoiceId]);
  return rowCount === 1;
});
