import { createApp } from 'tasklane';
import Redis from 'ioredis';
import { SessionStore } from './sessions.ts';
const store = new SessionStore(new Redis());
const app = createApp({ name: 'auth' });
app.task('auth.logoutEverywhere', (userId: string) => store.purge(userId));
