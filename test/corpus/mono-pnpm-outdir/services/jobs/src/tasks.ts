import { createApp } from 'tasklane';
import { renditions } from '@media/imaging';
const app = createApp({ name: 'media' });
app.task('media.renditions', async (input: Buffer, dir: string) => renditions(input, dir));
