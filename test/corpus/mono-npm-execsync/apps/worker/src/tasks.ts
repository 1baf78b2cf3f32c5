import { createApp } from 'tasklane';
import { probeDuration } from '@acme/shared';
import { findBackupById } from '@acme/server';
const app = createApp({ name: 'media' });
app.task('media.duration', async (file: string) => ({ file, seconds: probeDuration(file) }));
app.task('backups.restore', async (id: string) => {
  const backup = await findBackupById(id);
  return backup.size;
});
