import { createApp } from 'tasklane';
import { setTimeout as sleep } from 'node:timers/promises';
const app = createApp({ name: 'ops' });
app.task('ops.delayedPing', async (ms: number) => {
  await sleep(ms);
  return 'pong';
});
