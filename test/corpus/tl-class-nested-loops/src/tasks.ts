import { createApp } from 'tasklane';
import { PivotTable } from './report.ts';
const app = createApp({ name: 'reports' });
app.task('reports.pivot', (rows: Array<{ region: string; month: number; amount: number }>) => new PivotTable(rows).build());
