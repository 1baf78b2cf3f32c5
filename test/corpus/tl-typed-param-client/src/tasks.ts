import { createApp } from 'tasklane';
import { Pool } from 'pg';
import { saveEvent } from './repo.ts';
const app = createApp({ name: 'events' });
const pool = new Pool();
app.task('events.record', (type: string, payload: unknown) => saveEvent(pool, type, payload));
