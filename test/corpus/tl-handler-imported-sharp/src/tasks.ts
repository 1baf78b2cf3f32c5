import { createApp } from 'tasklane';
import { thumbnail } from './handlers/thumbnail.ts';
export const app = createApp({ name: 'media' });
export const thumb = app.task('images.thumbnail', thumbnail, { queue: 'cpu' });
