import { createApp } from 'tasklane';
import { fetchUser } from './a.ts';
const app = createApp({ name: 'users' });
app.task('users.refresh', (id: string) => fetchUser(id));
