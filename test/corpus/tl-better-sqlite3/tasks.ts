import { createApp } from 'tasklane';
import Database from 'better-sqlite3';
const db = new Database('analytics.db');
const app = createApp({ name: 'analytics' });
app.task('analytics.rollup', (day: string) => {
  const rows = db.prepare('select page, count(*) as views from hits where day = ? group by page').all(day);
  db.prepare('insert into rollups(day, data) values (?, ?)').run(day, JSON.stringify(rows));
  return rows.length;
});
