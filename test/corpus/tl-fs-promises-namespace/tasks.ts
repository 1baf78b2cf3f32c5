import { createApp } from 'tasklane';
import { promises as fs } from 'node:fs';
const app = createApp({ name: 'files' });
app.task('files.rotate', async (path: string) => {
  await fs.rename(path, `${path}.1`);
  await fs.writeFile(path, '');
});
