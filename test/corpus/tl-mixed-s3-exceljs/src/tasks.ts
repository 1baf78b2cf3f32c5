import { createApp } from 'tasklane';
import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { toWorkbook } from './export.ts';
const s3 = new S3Client({});
const app = createApp({ name: 'exports' });
app.task('exports.orders', async (key: string) => {
  const object = await s3.send(new GetObjectCommand({ Bucket: 'raw', Key: key }));
  const rows = JSON.parse(await object.Body!.transformToString());
  const xlsx = await toWorkbook(rows);
  await s3.send(new PutObjectCommand({ Bucket: 'exports', Key: `${key}.xlsx`, Body: xlsx }));
});
