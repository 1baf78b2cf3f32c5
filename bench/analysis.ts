// Analyzer benchmark (`npm run bench:analysis`): generated workspaces, cold analysis time and memory,
// then edit → problems latency after one-line edits (updateFile + problems() of every affected
// file). JSON lines out, one pair per workspace:
// - "small": 500 files, 200 tasks, helpers three layers deep behind a barrel, a config;
// - "monorepo": 4,000+ files in npm workspace packages (reached by package name through their
//   `exports`, and through a tsconfig path alias), the same tasks spread over them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAnalysisService } from '../analyzer/src/index.ts';

const EDITS = 100;

interface Shape {
  name: string;
  /** Workspace packages of helpers (448 files each: 200 leaves, 148 mid, 100 top, + a barrel). */
  packages: number;
  taskFiles: number;
}

const SHAPES: Shape[] = [
  { name: 'small', packages: 1, taskFiles: 50 },
  { name: 'monorepo', packages: 9, taskFiles: 60 },
];
const TASKS_PER_FILE = 4;
const LEAF_COUNT = 200, MID_COUNT = 148, TOP_COUNT = 100;

/** Leaf helpers: each does one kind of work the tables know. */
const LEAVES = [
  (i: number) => `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function leaf${i}(id: string) {\n  const r = await pool.query('select * from t${i} where id = $1', [id]);\n  return r.rows;\n}\n`,
  (i: number) => `export async function leaf${i}(id: string) {\n  const res = await fetch('https://api.example.com/${i}/' + id);\n  return res.json();\n}\n`,
  (i: number) => `export function leaf${i}(xs: number[]) {\n  let total = 0;\n  for (const a of xs) {\n    for (const b of xs) total += a * b;\n  }\n  return total;\n}\n`,
  (i: number) => `import { readFileSync } from 'node:fs';\nexport function leaf${i}(name: string) {\n  return readFileSync('/etc/${i}/' + name, 'utf8');\n}\n`,
  (i: number) => `import sharp from 'sharp';\nexport async function leaf${i}(p: string) {\n  return sharp(p).resize(${i % 500 + 10}).toBuffer();\n}\n`,
];

function generate(root: string, shape: Shape): { helperFiles: string[]; taskFiles: string[] } {
  const write = (path: string, text: string) => { mkdirSync(join(path, '..'), { recursive: true }); writeFileSync(path, text); };
  const single = shape.packages === 1;
  const appDir = single ? root : join(root, 'apps', 'jobs');
  write(join(root, 'tasklane.config.json'), JSON.stringify({
    routes: { 'cpu.*': 'cpu' },
    workers: { cpu: { pool: 'threads', concurrency: 2, queues: ['cpu'] }, io: { pool: 'async', concurrency: 200, queues: ['io', 'default'] } },
  }, null, 2));
  if (!single) {
    write(join(root, 'package.json'), JSON.stringify({ private: true, workspaces: ['packages/*', 'apps/*'] }));
    write(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@shared/*': ['packages/pkg0/src/*'] } } }));
  }
  write(join(appDir, 'src', 'app.ts'), `import { createApp } from 'tasklane';\nexport const app = createApp({ name: 'bench' });\n`);
  const helperFiles: string[] = [];
  const helperDir = (p: number) => single ? join(root, 'src', 'helpers') : join(root, 'packages', `pkg${p}`, 'src', 'helpers');
  for (let p = 0; p < shape.packages; p++) {
    const dir = helperDir(p);
    const put = (name: string, text: string) => { write(join(dir, name), text); helperFiles.push(join(dir, name)); };
    for (let i = 0; i < LEAF_COUNT; i++) put(`leaf${i}.ts`, LEAVES[i % LEAVES.length](i));
    for (let i = 0; i < MID_COUNT; i++) {
      const a = i % LEAF_COUNT, b = (i * 7 + 3) % LEAF_COUNT;
      put(`mid${i}.ts`, `import { leaf${a} } from './leaf${a}.ts';\nimport { leaf${b} } from './leaf${b}.ts';\nexport async function mid${i}(x: any) {\n  const first = await leaf${a}(x);\n  return [first, await leaf${b}(x)];\n}\n`);
    }
    for (let i = 0; i < TOP_COUNT; i++) {
      const m = i % MID_COUNT;
      put(`top${i}.ts`, `import { mid${m} } from './mid${m}.ts';\nexport class Service${p}_${i} {\n  async run(x: any) {\n    return mid${m}(x);\n  }\n}\n`);
    }
    write(join(dir, 'index.ts'), Array.from({ length: TOP_COUNT }, (_, i) => `export * from './top${i}.ts';`).join('\n') + '\n');
    if (!single) {
      // Reached by name through exports into dist, mapped back to the sources (no build, no node_modules).
      write(join(root, 'packages', `pkg${p}`, 'package.json'), JSON.stringify({ name: `@bench/pkg${p}`, exports: { '.': { types: './dist/helpers/index.d.ts', default: './dist/helpers/index.js' } } }));
    }
  }
  const taskFiles: string[] = [];
  for (let f = 0; f < shape.taskFiles; f++) {
    const lines = [`import { app } from '../app.ts';`];
    const body: string[] = [];
    for (let t = 0; t < TASKS_PER_FILE; t++) {
      const n = f * TASKS_PER_FILE + t;
      const p = n % shape.packages, top = n % TOP_COUNT, mid = (n * 3) % MID_COUNT;
      lines.push(
        `import { Service${p}_${top} } from '${single ? '../helpers/index.ts' : `@bench/pkg${p}`}';`,
        `import { mid${mid} } from '${single ? `../helpers/mid${mid}.ts` : `@shared/helpers/mid${mid}`}';`,
      );
      const prefix = n % 3 === 0 ? 'cpu' : 'io';
      body.push(`export const task${n} = app.task('${prefix}.task${n}', async (x: string) => {\n  const a = await new Service${p}_${top}().run(x);\n  const b = await mid${mid}(x);\n  return [a, b];\n});`);
    }
    const path = join(appDir, 'src', 'tasks', `tasks${f}.ts`);
    write(path, [...new Set(lines)].concat('', body, '').join('\n'));
    taskFiles.push(path);
  }
  return { helperFiles, taskFiles };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const mb = (bytes: number) => Math.round(bytes / 1e6);

function measure(shape: Shape): void {
  const root = mkdtempSync(join(tmpdir(), 'tasklane-bench-analysis-'));
  try {
    const { helperFiles, taskFiles } = generate(root, shape);
    const logs: string[] = [];
    const heapBefore = process.memoryUsage().heapUsed;
    // Wall time is what a user waits; CPU time is the work done, less distorted when other
    // processes share the cores.
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const service = createAnalysisService({ root, log: (m) => logs.push(m) });
    const tasks = service.analyzeAll();
    const coldMs = performance.now() - started;
    const coldCpu = process.cpuUsage(cpuStarted);
    const memory = process.memoryUsage();
    const kinds: Record<string, number> = {};
    for (const t of tasks) kinds[t.kind] = (kinds[t.kind] ?? 0) + 1;
    console.log(JSON.stringify({
      metric: 'cold', workspace: shape.name, files: helperFiles.length + taskFiles.length + 1 + shape.packages, tasks: tasks.length,
      ms: round(coldMs), cpuMs: round((coldCpu.user + coldCpu.system) / 1000),
      heapMB: mb(memory.heapUsed - heapBefore), rssMB: mb(memory.rss), kinds, logged: logs.length,
    }));

    // One-line edits, alternating helper leaves (reached by many tasks), mid helpers and task files.
    const latencies: number[] = [];
    const cpuTimes: number[] = [];
    let affectedTotal = 0;
    for (let i = 0; i < EDITS; i++) {
      const files = i % 3 === 0 ? taskFiles : helperFiles;
      const file = files[(i * 37) % files.length];
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
      metric: 'edit', workspace: shape.name, edits: EDITS, p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), max: round(latencies.at(-1)!),
      cpuP50: round(percentile(cpuTimes, 50)), cpuP95: round(percentile(cpuTimes, 95)), meanAffectedFiles: round(affectedTotal / EDITS),
    }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

for (const shape of SHAPES) measure(shape);
