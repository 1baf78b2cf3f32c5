import { createApp } from 'tasklane';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
const redis = new Redis();
const app = createApp({ name: 'config' });
app.task('config.publish', async (file) => {
  const text = readFileSync(file, 'utf8');
  await redis.set('config', text);
});
