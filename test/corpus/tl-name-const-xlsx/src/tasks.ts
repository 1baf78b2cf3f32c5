import { createApp } from 'tasklane';
import * as XLSX from 'xlsx';
import { TASKS } from './names.ts';
const app = createApp({ name: 'reports' });
app.task(TASKS.REPORT, (rows: Array<Record<string, unknown>>) => {
  const sheet = XLSX.utils.json_to_sheet(rows);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, 'Report');
  return XLSX.write(book, { type: 'base64', bookType: 'xlsx' });
});
