import { createApp } from 'tasklane';
import { parse } from 'csv-parse/sync';
const app = createApp({ name: 'imports' });
app.task('imports.normalize', (csv: string) => {
  const records: Array<{ email: string; name: string }> = parse(csv, { columns: true });
  return records.map((r) => ({ email: r.email.trim().toLowerCase(), name: r.name.trim() }));
});
