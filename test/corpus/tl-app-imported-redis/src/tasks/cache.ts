import Redis from 'ioredis';
import { app } from '../app.ts';
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
export const warm = app.task('cache.warm', async (keys: string[]) => {
  const values = await redis.mget(...keys);
  await redis.expire('warm:last', 60);
  return values.filter(Boolean).length;
});
