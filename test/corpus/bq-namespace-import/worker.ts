import * as bullmq from 'bullmq';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
const s3 = new S3Client({});
new bullmq.Worker('backups', async (job: bullmq.Job<{ key: string; body: string }>) => {
  await s3.send(new PutObjectCommand({ Bucket: 'backups', Key: job.data.key, Body: job.data.body }));
}, { connection: { host: 'redis' } });
