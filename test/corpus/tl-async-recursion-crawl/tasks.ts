import { createApp } from 'tasklane';
const app = createApp({ name: 'crawler' });
async function crawl(url: string, depth: number, seen: Set<string>): Promise<number> {
  if (depth === 0 || seen.has(url)) return 0;
  seen.add(url);
  const html = await (await fetch(url)).text();
  let count = 1;
  for (const [, link] of html.matchAll(/href="(https:[^"]+)"/g)) count += await crawl(link, depth - 1, seen);
  return count;
}
app.task('crawler.site', (url: string) => crawl(url, 3, new Set()));
