// From findings to a verdict: cpu | io | mixed | unknown, blocking, the evidence to show and a
// one-line breakdown of where the time goes. The verdict follows the dominant cost, not the mere
// presence of a kind: four image resizes and one mkdir are CPU work; a small loop next to real I/O
// leaves the task I/O-bound; calls that could not be followed leave a light verdict undecided.
import { basename } from 'node:path';
import type { Cost } from './knowledge/index.ts';
import type { Evidence, EvidenceKind, TaskKind } from './types.ts';
import type { Finding } from './findings.ts';

export interface Verdict {
  kind: TaskKind;
  blocking: boolean;
  /** Native addons that want process isolation were seen. */
  isolate: boolean;
  evidence: Evidence[];
  /** "mostly CPU: sharp resize ×4 (heavy); mkdir (trivial)". */
  breakdown: string;
  /** For mixed tasks: the first I/O finding and the first CPU finding, where to split. */
  split?: { io: Finding; cpu: Finding };
}

const MAX_EVIDENCE = 12;
const MAX_BREAKDOWN_ITEMS = 5;

const EVIDENCE_KIND: Record<Finding['effect'], EvidenceKind> = {
  'io': 'io',
  'sync-io': 'blocking',
  'cpu-blocking': 'cpu',
  'cpu-offloaded': 'offloaded',
  'cpu-light': 'cpu',
  'unfollowed': 'info',
};

/** Most telling first: what blocks, heavy CPU, offloaded CPU, I/O, light CPU, what was not followed. */
const RANK: Record<Finding['effect'], number> = { 'sync-io': 0, 'cpu-blocking': 1, 'cpu-offloaded': 2, 'io': 3, 'cpu-light': 4, 'unfollowed': 5 };

/**
 * What a cost weighs: a network round trip, a child process or a timer is worth a heavy CPU call
 * (each takes real time, of the other kind); reading a file less; trivial work next to nothing.
 */
const WEIGHT: Record<Cost, number> = {
  'cpu-heavy': 10, 'cpu-moderate': 2, 'cpu-trivial': 0.5,
  'wait-network': 10, 'wait-child': 10, 'wait-timer': 10, 'wait-disk': 4, 'wait-trivial': 0.5,
  'not-followed': 0,
};

/** Below this, neither side has real work: a call that could not be followed may outweigh it. */
const DECISIVE = 10;
/** Mixed: the lighter side weighs at least this share of the heavier one. */
const MIXED_SHARE = 0.2;

const SIZE: Record<Cost, string> = {
  'cpu-heavy': 'heavy', 'cpu-moderate': 'moderate', 'cpu-trivial': 'trivial',
  'wait-network': 'network', 'wait-child': 'child process', 'wait-timer': 'timer', 'wait-disk': 'disk', 'wait-trivial': 'trivial',
  'not-followed': 'not followed',
};

const LEAD: Record<TaskKind, string> = { cpu: 'mostly CPU', io: 'mostly waiting on I/O', mixed: 'CPU and I/O', unknown: 'undecided' };

const isCpu = (cost: Cost): boolean => cost.startsWith('cpu-');
const isWait = (cost: Cost): boolean => cost.startsWith('wait-');

/** `notes`: info evidence the caller adds (why the answer is partial). */
export function verdictOf(all: Finding[], notes: Evidence[], where?: { file: string; line: number }): Verdict {
  // One fact per call site: a helper reached twice is still one call.
  const findings = [...new Map(all.map((f) => [`${f.file}:${f.node.getStart()}:${f.effect}`, f])).values()];
  let cpu = 0, io = 0;
  for (const f of findings) {
    if (isCpu(f.cost)) cpu += WEIGHT[f.cost];
    else if (isWait(f.cost)) io += WEIGHT[f.cost];
  }
  const unfollowed = findings.filter((f) => f.effect === 'unfollowed');
  const heaviest = (test: (cost: Cost) => boolean): Finding | undefined =>
    findings.filter((f) => test(f.cost)).sort((a, b) => WEIGHT[b.cost] - WEIGHT[a.cost] || RANK[a.effect] - RANK[b.effect])[0];
  let kind: TaskKind;
  // Light CPU work (parsing a response, mapping a page of rows), however many pieces, does not
  // outweigh a real wait: only heavy work makes a task mixed or CPU-bound next to I/O.
  const heavyCpu = findings.some((f) => f.cost === 'cpu-heavy');
  if ((unfollowed.length && Math.max(cpu, io) < DECISIVE) || cpu + io === 0) kind = 'unknown';
  else if (!heavyCpu && io >= DECISIVE) kind = 'io';
  else if (cpu >= DECISIVE && io >= WEIGHT['wait-disk'] && Math.min(cpu, io) / Math.max(cpu, io) >= MIXED_SHARE) kind = 'mixed';
  else kind = cpu >= io ? 'cpu' : 'io';
  const blocking = findings.some((f) => f.effect === 'sync-io' || f.effect === 'cpu-blocking');

  const evidence = evidenceOf(findings);
  const split = kind === 'mixed' ? { io: heaviest(isWait)!, cpu: heaviest(isCpu)! } : undefined;
  if (split) {
    evidence.push({
      kind: 'info',
      message: `Split it: an async task for the I/O (${part(split.io)}) that hands its data to a threads task for the CPU work (${part(split.cpu)}).`,
      file: split.cpu.file,
      line: split.cpu.line,
    });
  }
  if (kind === 'unknown' && unfollowed.length && where) {
    evidence.push({ kind: 'info', message: `Undecided: the work behind ${unfollowed.map((f) => f.what).slice(0, 3).join(', ')} could not be followed. Keep the task's current pool.`, file: where.file, line: where.line });
  }
  evidence.push(...notes.slice(0, 3));
  if (kind === 'unknown' && !notes.length && !unfollowed.length && where) {
    evidence.push({ kind: 'info', message: 'No I/O, CPU-heavy or blocking work found in the handler or the helpers it calls.', file: where.file, line: where.line });
  }
  return { kind, blocking, isolate: findings.some((f) => f.isolate), evidence, breakdown: breakdownOf(kind, findings), split };
}

/** Findings as evidence, most telling first; the same sentence at several call sites once, counted. */
function evidenceOf(findings: Finding[]): Evidence[] {
  const groups = new Map<string, { evidence: Evidence; count: number }>();
  const sorted = [...findings].sort((a, b) => RANK[a.effect] - RANK[b.effect] || WEIGHT[b.cost] - WEIGHT[a.cost]);
  for (const finding of sorted) {
    const kind = EVIDENCE_KIND[finding.effect];
    const key = `${kind}\0${finding.message}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { evidence: { kind, message: finding.message, file: finding.file, line: finding.line, cost: finding.cost }, count: 1 });
  }
  return [...groups.values()].slice(0, MAX_EVIDENCE)
    .map(({ evidence, count }) => count > 1 ? { ...evidence, message: `${evidence.message} (×${count})` } : evidence);
}

/** "mostly CPU: sharp resize ×4 (heavy); mkdir (trivial)": heaviest first. */
function breakdownOf(kind: TaskKind, findings: Finding[]): string {
  const items = new Map<string, { what: string; cost: Cost; count: number; blocks: boolean }>();
  for (const f of findings) {
    const key = `${f.what}\0${f.cost}`;
    const item = items.get(key) ?? { what: f.what, cost: f.cost, count: 0, blocks: false };
    item.count++;
    item.blocks ||= f.effect === 'sync-io' || f.effect === 'cpu-blocking';
    items.set(key, item);
  }
  const sorted = [...items.values()].sort((a, b) => WEIGHT[b.cost] * b.count - WEIGHT[a.cost] * a.count);
  const parts = sorted.slice(0, MAX_BREAKDOWN_ITEMS)
    .map((i) => `${i.what}${i.count > 1 ? ` ×${i.count}` : ''} (${SIZE[i.cost]}${i.blocks ? ', blocks' : ''})`);
  if (sorted.length > MAX_BREAKDOWN_ITEMS) parts.push('…');
  return parts.length ? `${LEAD[kind]}: ${parts.join('; ')}` : `${LEAD[kind]}: nothing measurable found`;
}

/** "s3.send() at tasks.ts:7", or "the loop at tasks.ts:9". */
function part(finding: Finding): string {
  return `${finding.label ?? 'the code'} at ${basename(finding.file)}:${finding.line}`;
}
