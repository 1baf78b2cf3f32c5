// `node --import tsx bench/profile-summary.ts <file.cpuprofile> [top] [filter]`: where a worker
// process spent its time (self time by function and by file; total time, callees included, of
// the functions whose file matches filter, default "runtime/"), from a profile written with --cpu-prof.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const [file, topArg, filter = 'runtime/'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=25]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(topArg ?? 25);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

function table(title: string, key: (node: ProfileNode) => string): void {
  const sums = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const k = key(byId.get(id)!);
    sums.set(k, (sums.get(k) ?? 0) + us);
  }
  process.stdout.write(`\n${title} (total ${(totalUs / 1000).toFixed(0)} ms)\n`);
  for (const [k, us] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${k}\n`);
  }
}

function inclusive(title: string, key: (node: ProfileNode) => string | undefined): void {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const sums = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>(); // recursion counts once
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = key(byId.get(at)!);
      if (k && !seen.has(k)) {
        seen.add(k);
        sums.set(k, (sums.get(k) ?? 0) + us);
      }
    }
  }
  process.stdout.write(`\n${title} (total ${(totalUs / 1000).toFixed(0)} ms)\n`);
  for (const [k, us] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${k}\n`);
  }
}

const short = (url: string) => url.replace(/^file:\/\/.*?\/(node_modules|runtime|bench)\//, '$1/') || '(native)';
table('self time by function', (n) => `${n.callFrame.functionName || '(anonymous)'}  ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`);
table('self time by file', (n) => short(n.callFrame.url));
inclusive(`total time (callees included) of functions in ${filter}`, (n) =>
  short(n.callFrame.url).includes(filter) ? `${n.callFrame.functionName || '(anonymous)'}  ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : undefined);
