#!/usr/bin/env node
// `npm run demo`: the example workspace end to end on the embedded broker, no server. Starts the
// example's workers (`tasklane up`: cpu = threads x 2, io = async x 200), sends a CPU-bound, an
// I/O-bound and a mixed task a few times each, prints where each ran and its wall and CPU time,
// then stops the workers warm (SIGTERM).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = join(root, 'examples');
// A fresh embedded broker folder: the demo never picks up messages left by an earlier run.
const brokerDir = mkdtempSync(join(tmpdir(), 'tasklane-demo-'));
process.env.TASKLANE_BROKER = pathToFileURL(brokerDir).href;
// The producer below routes by the example's config, as its workers do.
process.env.TASKLANE_CONFIG = join(examples, 'tasklane.config.json');

// A local web server for the I/O-bound and mixed tasks: a page, and a data set of sensor readings.
const readings = Array.from({ length: 200_000 }, (_, i) => ({ sensor: `s${i % 8}`, value: Math.round(Math.abs(Math.sin(i)) * 1000) / 10 }));
const server = createServer((req, res) => {
  if (req.url === '/readings.json') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(readings));
  } else {
    setTimeout(() => res.end('<html><body>hello from the demo server</body></html>'), 100);
  }
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${server.address().port}`;

console.log(`demo: starting the example's workers (tasklane up) on ${process.env.TASKLANE_BROKER}`);
const up = spawn(process.execPath, [join(root, 'runtime/bin/tasklane.mjs'), 'up'], { cwd: examples, stdio: ['ignore', 'pipe', 'inherit'] });
createInterface({ input: up.stdout }).on('line', (line) => console.log(`  ${line}`));

register();
const { app, blur, probe, report } = await import(pathToFileURL(join(examples, 'src/tasks.ts')).href);
const broker = await app.broker();
for (let online = 0; online < 2;) {
  if (up.exitCode !== null) throw new Error(`tasklane up exited with code ${up.exitCode}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  online = (await broker.workers()).length;
}

const sent = [
  ...Array.from({ length: 4 }, () => blur.delay(384, 384, 6)),
  ...Array.from({ length: 4 }, () => probe.delay(`${base}/`, join(examples, 'src/tasks.ts'))),
  report.delay(`${base}/readings.json`),
];
const results = await Promise.all(sent);
const rows = [];
for (const r of results) {
  const value = await r.get({ timeout: '60s' });
  const stored = await r.result();
  const share = stored.wallMs > 0 ? Math.round((100 * stored.cpuMs) / stored.wallMs) : 0;
  rows.push({ task: r.task, id: r.id.slice(0, 6), worker: stored.worker, pool: stored.pool, wall: `${Math.round(stored.wallMs)}ms`, cpu: `${Math.round(stored.cpuMs)}ms (${share}%)`, result: JSON.stringify(value).slice(0, 60) });
}
console.log('\ndemo: results (wall = time the task took, cpu = CPU time it used: the measured CPU share)');
console.table(rows);

up.kill('SIGTERM');
const [code] = await once(up, 'exit');
await app.close();
server.close();
rmSync(brokerDir, { recursive: true, force: true });
console.log(`demo: workers stopped (exit ${code})`);
process.exit(code ?? 1);
