import { createApp } from 'tasklane';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
export const app = createApp({ name: 'multi' });
export const digest = app.task('multi.digest', (text: string) => createHash('sha1').update(text).digest('hex'));
export const save = app.task('multi.save', async (path: string, text: string) => writeFile(path, text));
export const both = app.task('multi.digestAndSave', async (path: string, text: string) => {
  const sum = digest.call(text);
  await writeFile(`${path}.sha1`, sum);
});
