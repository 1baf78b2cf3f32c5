import { createApp } from 'tasklane';
const app = createApp({ name: 'hooks' });
function logged<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  return async (...args: A) => {
    console.log('start', fn.name);
    return fn(...args);
  };
}
app.task('hooks.notifySlack', logged(async (text: string) => {
  await fetch(process.env.SLACK_WEBHOOK!, { method: 'POST', body: JSON.stringify({ text }) });
}));
