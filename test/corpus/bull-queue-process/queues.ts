import Queue from 'bull';
import sharp from 'sharp';
import Redis from 'ioredis';
const images = new Queue('images', 'redis://redis:6379');
const events = new Queue('events', 'redis://redis:6379');
const redis = new Redis();
images.process('resize', 2, async (job) => sharp(job.data.path).resize(800).toFile(job.data.out));
events.process(async (job) => { await redis.lpush('events', JSON.stringify(job.data)); });
