import { createApp } from 'tasklane';
import { hash } from './lib.ts';
const app = createApp({ name: 'accounts' });
app.task('accounts.rehash', (password: string) => hash(password));
