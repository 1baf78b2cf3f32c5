import { createApp } from 'tasklane';
import { mediaInfo } from './media/info.ts';
const app = createApp({ name: 'media' });
app.task('media.info', async (file: string) => mediaInfo(file));
