import { createApp } from 'tasklane';
import { IO_TASK } from './options.ts';
const app = createApp({ name: 'geo' });
app.task('geo.lookup', async (ip: string) => (await fetch(`https://geo.example.com/${ip}`)).json(), IO_TASK);
