import { createApp } from 'tasklane';
const app = createApp({ name: 'legacy' });
function sleepSync(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* wait for the device */ }
}
app.task('legacy.pollDevice', async (port: number) => {
  sleepSync(250);
  return port;
});
