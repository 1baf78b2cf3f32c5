import { createApp } from 'tasklane';
import { handlers } from './handlers.ts';
const app = createApp({ name: 'integrity' });
app.task('integrity.checksum', handlers.checksum);
