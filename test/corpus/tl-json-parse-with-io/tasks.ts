import { createApp } from 'tasklane';
const app = createApp({ name: 'feeds' });
app.task('feeds.refresh', async (url: string) => {
  const res = await fetch(url);
  const feed = JSON.parse(await res.text()) as { items: Array<{ id: string }> };
  return feed.items.map((item) => item.id);
});
