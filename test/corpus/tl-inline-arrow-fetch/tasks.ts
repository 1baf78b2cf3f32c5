import { createApp } from 'tasklane';
export const app = createApp({ name: 'hooks' });
export const deliver = app.task('webhooks.deliver', async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`webhook ${url} answered ${res.status}`);
  return res.status;
}, { retries: 5 });
