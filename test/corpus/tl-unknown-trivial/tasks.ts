import { createApp } from 'tasklane';
const app = createApp({ name: 'misc' });
app.task('misc.add', (a: number, b: number) => a + b);
