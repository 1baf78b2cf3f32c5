// Analyzer benchmark (`npm run bench:analysis`): a generated workspace of 500 files and 200 tasks
// (helpers three layers deep, barrels, a config), cold analysis time, then edit → problems
// latency after one-line edits (updateFile + problems() of every affected file). JSON lines out.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAnalysisService } from '../analyzer/src/index.ts';

const FILES = 500;
const TASK_FILES = 50;
const TASKS_PER_FILE = 4;
const EDITS = 100;

/** Leaf helpers: each does one kind of work the tables know. */
const LEAVES = [
  (i: number) => `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function leaf${i}(id: string) {\n  const r = await pool.query('select * from t${i} where id = $1', [id]);\n  return r.rows;\n}\n`,
  (i: number) => `export async function leaf${i}(id: string) {\n  const res = await fetch('https://api.example.com/${i}/' + id);\n  return res.json();\n}\n`,
  (i: number) => `export function leaf${i}(xs: number[]) {\n  let total = 0;\n  for (const a of xs) {\n    for (const b of xs) total += a * b;\n  }\n  return total;\n}\n`,
  (i: number) => `import { readFileSync } from 'node:fs';\nexport function leaf${i}(name: string) {\n  return readFileSync('/etc/${i}/' + name, 'utf8');\n}\n`,
  (i: number) => `import sharp from 'sharp';\nexport async function leaf${i}(p: string) {\n  return sharp(p).resize(${i % 500 + 10}).toBuffer();\n}\n`,
];

function generate(root: string): { helperFiles: string[]; taskFiles: string[] } {
  mkdirSync(join(root, 'src', 'helpers'), { recursive: true });
  mkdirSync(join(root, 'src', 'tasks'), { recursive: true });
  writeFileSync(join(root, 'tasklane.config.json'), JSON.stringify({
    routes: { 'cpu.*': 'cpu' },
    workers: { cpu: { pool: 'threads', concurrency: 2, queues: ['cpu'] }, io: { pool: 'async', concurrency: 200, queues: ['io', 'default'] } },
  }, null, 2));
  writeFileSync(join(root, 'src', 'app.ts'), `import { createApp } from 'tasklane';\nexport const app = createApp({ name: 'bench' });\n`);
  // 500 = app + barrel + 50 task files + 448 helpers (200 leaves, 148 mid, 100 top).
  const helperCount = FILES - 2 - TASK_FILES;
  const leaves = 200, mids = 148, tops = helperCount - leaves - mids;
  const helperFiles: string[] = [];
  const write = (name: string, text: string) => { const p = join(root, 'src', 'helpers', name); writeFileSync(p, text); helperFiles.push(p); };
  for (let i = 0; i < leaves; i++) write(`leaf${i}.ts`, LEAVES[i % LEAVES.length](i));
  for (let i = 0; i < mids; i++) {
    const a = i % leaves, b = (i * 7 + 3) % leaves;
    write(`mid${i}.ts`, `import { leaf${a} } from './leaf${a}.ts';\nimport { leaf${b} } from './leaf${b}.ts';\nexport async function mid${i}(x: any) {\n  const first = await leaf${a}(x);\n  return [first, await leaf${b}(x)];\n}\n`);
  }
  for (let i = 0; i < tops; i++) {
    const m = i % mids;
    write(`top${i}.ts`, `import { mid${m} } from './mid${m}.ts';\nexport class Service${i} {\n  async run(x: any) {\n    return mid${m}(x);\n  }\n}\n`);
  }
  writeFileSync(join(root, 'src', 'helpers', 'index.ts'), Array.from({ length: tops }, (_, i) => `export * from './top${i}.ts';`).join('\n') + '\n');
  const taskFiles: string[] = [];
  for (let f = 0; f < TASK_FILES; f++) {
    const lines = [`import { app } from '../app.ts';`];
    const body: string[] = [];
    for (let t = 0; t < TASKS_PER_FILE; t++) {
      const n = f * TASKS_PER_FILE + t;
      const top = n % tops, mid = (n * 3) % mids;
      lines.push(`import { Service${top} } from '../helpers/index.ts';`, `import { mid${mid} } from '../helpers/mid${mid}.ts';`);
      const prefix = n % 3 === 0 ? 'cpu' : 'io';
      body.push(`export const task${n} = app.task('${prefix}.task${n}', async (x: string) => {\n  const a = await new Service${top}().run(x);\n  const b = await mid${mid}(x);\n  return [a, b];\n});`);
    }
    const p = join(root, 'src', 'tasks', `tasks${f}.ts`);
    writeFileSync(p, [...new Set(lines), '', ...body, ''].join('\n'));
    taskFiles.push(p);
  }
  return { helperFiles, taskFiles };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const root = mkdtempSync(join(tmpdir(), 'tasklane-bench-analysis-'));
try {
  const { helperFiles, taskFiles } = generate(root);
  const logs: string[] = [];
  // Wall time is what a user waits; CPU time is the work done, less distorted when other
  // processes share the cores.
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const service = createAnalysisService({ root, log: (m) => logs.push(m) });
  const tasks = service.analyzeAll();
  const coldMs = performance.now() - started;
  const coldCpu = process.cpuUsage(cpuStarted);
  const kinds: Record<string, number> = {};
  for (const t of tasks) kinds[t.kind] = (kinds[t.kind] ?? 0) + 1;
  console.log(JSON.stringify({ metric: 'cold', files: helperFiles.length + taskFiles.length + 2, tasks: tasks.length, ms: round(coldMs), cpuMs: round((coldCpu.user + coldCpu.system) / 1000), kinds, logged: logs.length }));

  // One-line edits, alternating helper leaves (reached by many tasks), mid helpers and task files.
  const latencies: number[] = [];
  const cpuTimes: number[] = [];
  let affectedTotal = 0;
  for (let i = 0; i < EDITS; i++) {
    const pool = i % 3 === 0 ? taskFiles : helperFiles;
    const file = pool[(i * 37) % pool.length];
    const text = readFileSync(file, 'utf8');
    const edited = i % 2 === 0 ? text.replace(/\n/, `\n// edit ${i}\n`) : text.replace('export', `const touched${i} = ${i};\nexport`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const affected = service.updateFile(file, edited);
    for (const path of affected) service.problems(path);
    latencies.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    affectedTotal += affected.length;
  }
  latencies.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  console.log(JSON.stringify({
    metric: 'edit', edits: EDITS, p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), max: round(latencies.at(-1)!),
    cpuP50: round(percentile(cpuTimes, 50)), cpuP95: round(percentile(cpuTimes, 95)), meanAffectedFiles: round(affectedTotal / EDITS),
  }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
