// From findings to a verdict: cpu | io | mixed | unknown, blocking, and the evidence to show.
// Light CPU (one loop over data, a JSON.parse) decides only when nothing else is seen: a small
// loop next to real I/O leaves the task I/O-bound.
import { basename } from 'node:path';
import type { Evidence, EvidenceKind, TaskKind } from './types.ts';
import type { Finding } from './findings.ts';

export interface Verdict {
  kind: TaskKind;
  blocking: boolean;
  /** Native addons that want process isolation were seen. */
  isolate: boolean;
  evidence: Evidence[];
  /** For mixed tasks: the first I/O finding and the first CPU finding, where to split. */
  split?: { io: Finding; cpu: Finding };
}

const MAX_EVIDENCE = 12;

const EVIDENCE_KIND: Record<Finding['effect'], EvidenceKind> = {
  'io': 'io',
  'sync-io': 'blocking',
  'cpu-blocking': 'cpu',
  'cpu-offloaded': 'offloaded',
  'cpu-light': 'cpu',
};

/** Most telling first: what blocks, heavy CPU, offloaded CPU, I/O, light CPU. */
const RANK: Record<Finding['effect'], number> = { 'sync-io': 0, 'cpu-blocking': 1, 'cpu-offloaded': 2, 'io': 3, 'cpu-light': 4 };

/** `notes`: info evidence the caller adds (why the answer is partial). */
export function verdictOf(findings: Finding[], notes: Evidence[], where?: { file: string; line: number }): Verdict {
  const has = (effect: Finding['effect']): Finding | undefined => findings.find((f) => f.effect === effect);
  const io = has('io') ?? has('sync-io');
  const heavyCpu = has('cpu-blocking') ?? has('cpu-offloaded');
  const kind: TaskKind = io && heavyCpu ? 'mixed' : io ? 'io' : heavyCpu || has('cpu-light') ? 'cpu' : 'unknown';
  const blocking = findings.some((f) => f.effect === 'cpu-blocking' || f.effect === 'sync-io');

  const seen = new Set<string>();
  const evidence: Evidence[] = [];
  for (const finding of [...findings].sort((a, b) => RANK[a.effect] - RANK[b.effect])) {
    const kindOfEvidence = EVIDENCE_KIND[finding.effect];
    const key = `${finding.file}:${finding.line}:${kindOfEvidence}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (evidence.length < MAX_EVIDENCE) evidence.push({ kind: kindOfEvidence, message: finding.message, file: finding.file, line: finding.line });
  }
  const split = kind === 'mixed' ? { io: io!, cpu: heavyCpu! } : undefined;
  if (split) {
    evidence.push({
      kind: 'info',
      message: `Split it: an async task for the I/O (${part(split.io)}) that hands its data to a threads task for the CPU work (${part(split.cpu)}).`,
      file: split.cpu.file,
      line: split.cpu.line,
    });
  }
  evidence.push(...notes.slice(0, 3));
  if (kind === 'unknown' && !notes.length && where) {
    evidence.push({ kind: 'info', message: 'No I/O, CPU-heavy or blocking work found in the handler or the helpers it calls.', file: where.file, line: where.line });
  }
  return { kind, blocking, isolate: findings.some((f) => f.isolate), evidence, split };
}

/** "s3.send() at tasks.ts:7", or "the loop at tasks.ts:9". */
function part(finding: Finding): string {
  return `${finding.label ?? 'the code'} at ${basename(finding.file)}:${finding.line}`;
}
