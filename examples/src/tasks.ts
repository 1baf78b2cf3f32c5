// The example app: one CPU-bound task (pure-JS image blur), one I/O-bound task (files, a timer and
// an HTTP request), and a mixed one (fetch a data set, then crunch it). Each is routed by
// tasklane.config.json's "routes" to the worker whose pool fits it.
import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, context } from 'tasklane';
import { getJson, getText } from './lib/http.ts';
import { boxBlur, fingerprint, meanBrightness, testCard } from './lib/pixels.ts';

export const app = createApp({ name: 'example' });

/** CPU-bound: loops over every pixel, no awaits. Belongs on the threads (or prefork) pool. */
export const blur = app.task('images.blur', (width: number, height: number, radius: number) => {
  const image = boxBlur(testCard(width, height), radius);
  return { width, height, radius, brightness: Math.round(meanBrightness(image)), fingerprint: fingerprint(image.data) };
}, { timeLimit: '60s' });

/** I/O-bound: waits on the disk, a timer and the network. Belongs on the async pool. */
export const probe = app.task('http.probe', async (url: string, file: string) => {
  const { signal } = context();
  const [info, text] = await Promise.all([stat(file), readFile(file, 'utf8')]);
  await sleep(50, undefined, { signal }); // a polite pause, as a crawler would take
  const page = await getText(url, signal);
  return { url, status: page.status, bytes: page.body.length, file: { bytes: info.size, lines: text.split('\n').length } };
}, { retries: 3, retryBackoff: '500ms' });

interface Reading {
  sensor: string;
  value: number;
}

/** Mixed: awaits a download, then computes statistics over it. Better split in two tasks. */
export const report = app.task('reports.sensors', async (url: string) => {
  const readings = await getJson<Reading[]>(url, context().signal);
  const bySensor = new Map<string, number[]>();
  for (const r of readings) {
    const values = bySensor.get(r.sensor) ?? [];
    values.push(r.value);
    bySensor.set(r.sensor, values);
  }
  const stats: Record<string, { n: number; mean: number; p95: number }> = {};
  for (const [sensor, values] of bySensor) {
    values.sort((a, b) => a - b);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    stats[sensor] = { n: values.length, mean: Math.round(mean * 100) / 100, p95: values[Math.floor(values.length * 0.95)] };
  }
  return stats;
});
