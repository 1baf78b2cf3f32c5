import type { Redis } from 'ioredis';
export class SessionStore {
  constructor(private readonly redis: Redis) {}
  async purge(userId: string): Promise<number> {
    const keys = await this.redis.keys(`sess:${userId}:*`);
    return keys.length ? this.redis.del(...keys) : 0;
  }
}
