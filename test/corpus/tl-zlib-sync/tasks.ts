import { createApp } from 'tasklane';
import zlib from 'node:zlib';
const app = createApp({ name: 'archive' });
app.task('archive.compressSync', (text: string) => zlib.gzipSync(text, { level: 9 }).toString('base64'));
