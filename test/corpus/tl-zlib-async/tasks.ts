import { createApp } from 'tasklane';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
const gzipAsync = promisify(gzip);
const app = createApp({ name: 'archive' });
app.task('archive.compress', async (text: string) => (await gzipAsync(Buffer.from(text))).toString('base64'));
