import { createApp } from 'tasklane';
import { readFile, writeFile } from 'node:fs/promises';
const app = createApp({ name: 'files' });
app.task('files.append', async (path: string, line: string) => {
  const current = await readFile(path, 'utf8').catch(() => '');
  await writeFile(path, current + line + '\n');
});
