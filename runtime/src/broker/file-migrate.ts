// A folder written by the embedded broker before its LMDB store (tasklane ≤ 0.1: a file per
// message under queues/<q>/{ready,delayed,reserved}/, a file per result under results/) is
// carried over when a broker opens it: messages go into the store (reserved ones as ready: their
// holder is an older worker whose ack would find nothing), results with their remaining time. The
// old folder is first renamed under a unique name, so one process imports it; one that crashed
// mid-way leaves that name behind and the next broker to open the folder finishes it (a message
// imported twice then runs twice: at-least-once). The measured runs, kept beside the store in
// measured.json (under measured.lock) before they moved into it, are merged in the same way.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunCost, TaskResult } from '../protocol.ts';
import { parseDelayed, parseReady, parseReserved } from './file-names.ts';
import type { Store } from './file-store.ts';

const OLD = ['queues', 'results', 'measured.json'] as const;
const MIGRATING = /^(queues|results|measured\.json)\.migrating-/;

/** Imports what an older broker left in `root`; returns how many messages and results it carried over. */
export async function migrateOldFolder(root: string, store: Store, tag: string): Promise<number> {
  for (const name of OLD) {
    try {
      if (existsSync(join(root, name))) renameSync(join(root, name), join(root, `${name}.migrating-${tag}`));
    } catch {
      // Another process renamed it first: it imports it.
    }
  }
  let carried = 0;
  for (const dir of readdirSync(root).filter((n) => MIGRATING.test(n))) {
    const path = join(root, dir);
    if (dir.startsWith('measured')) importMeasured(path, store);
    else carried += dir.startsWith('queues') ? await importQueues(path, store) : await importResults(path, store);
    rmSync(path, { recursive: true, force: true });
  }
  for (const name of ['spare', 'measured.lock']) rmSync(join(root, name), { recursive: true, force: true });
  return carried;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // taken meanwhile by another importer
  }
}

async function importQueues(dir: string, store: Store): Promise<number> {
  let carried = 0;
  for (const queue of readdirSync(dir)) {
    for (const state of ['ready', 'delayed', 'reserved']) {
      const stateDir = join(dir, queue, state);
      if (!existsSync(stateDir)) continue;
      for (const name of readdirSync(stateDir)) {
        const delayed = state === 'delayed' ? parseDelayed(name) : undefined;
        const entry = state === 'reserved' ? parseReserved(name) : parseReady(delayed?.ready ?? name);
        const raw = read(join(stateDir, name));
        if (!entry || raw === undefined) continue;
        await store.put(decodeURIComponent(queue), raw, { eta: delayed?.eta ?? 0, n: entry.deliveries, base: entry.base });
        carried++;
      }
    }
  }
  return carried;
}

async function importResults(dir: string, store: Store): Promise<number> {
  let carried = 0;
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const text = read(join(dir, name));
    try {
      const stored = JSON.parse(text ?? '') as { expiresAt: number; result: TaskResult };
      if (stored.expiresAt <= now) continue;
      await store.storeResult(stored.result, stored.expiresAt - now);
      carried++;
    } catch {
      // Not a result (a torn write of a crashed process): nothing to carry.
    }
  }
  return carried;
}

function importMeasured(path: string, store: Store): void {
  try {
    const stored = JSON.parse(read(path) ?? '') as Record<string, RunCost[]>;
    // Stored newest first; recordRuns takes them as they ran, oldest first.
    store.recordRuns(Object.entries(stored).map(([task, runs]) => ({ task, runs: [...runs].reverse() })));
  } catch {
    // Torn or not JSON: measurements only, nothing a task needs.
  }
}
