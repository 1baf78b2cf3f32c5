// Edits reach the analyzer debounced, one file at a time, and are cancellable: each step (apply one
// file's change, publish one file's diagnostics) checks whether a newer edit arrived and, if so,
// stops and leaves the rest to the next run. Nothing is dropped: a change stays pending until
// applied, a path stays dirty until its diagnostics are published.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Folder, Folders } from './folders.ts';
import type { Log } from './log.ts';

/** Edits closer together than this are analysed once (a paste, a format, an undo of many steps). */
export const DEBOUNCE_MS = 25;

/** A pending change: the buffer's text, undefined to re-read the file from disk, or deletion. */
export type Change = { text: string | undefined } | 'deleted';

export interface UpdateHooks {
  /** Send the diagnostics of one file. */
  publish(path: string): void;
  /** A folder's tasks may have changed: announce it if they did. */
  tasksTouched(folder: Folder): void;
}

export class UpdateQueue {
  private readonly pending = new Map<string, Change>();
  private readonly dirty = new Set<string>();
  private readonly touched = new Set<Folder>();
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void>;

  constructor(
    private readonly folders: Folders,
    private readonly hooks: UpdateHooks,
    private readonly log: Log,
    /** Work starts once this resolves (the folders' settings are known, the cold analysis done). */
    ready: Promise<void>,
  ) {
    this.running = ready;
  }

  /** A file changed: its analysis waits for the edits to pause, and work in progress yields. */
  change(path: string, change: Change): void {
    this.pending.set(path, change);
    this.generation++;
    this.schedule(DEBOUNCE_MS);
  }

  /** These files need their diagnostics sent again (their folder's analysis changed). */
  republish(paths: Iterable<string>, folder?: Folder): void {
    for (const path of paths) this.dirty.add(path);
    if (folder) this.touched.add(folder);
    // A pending debounce will get to them; do not cut it short.
    if (!this.timer) this.schedule(0);
  }

  /** Applies a file's pending change now (every pending change without a path): a request must see the latest text. */
  applyNow(path?: string): void {
    for (const file of path === undefined ? [...this.pending.keys()] : [path]) {
      if (this.pending.has(file)) this.apply(file);
    }
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.run()).catch((error) => this.log.error('updating the analysis failed', error));
    }, delayMs);
  }

  private apply(path: string): void {
    const change = this.pending.get(path)!;
    this.pending.delete(path);
    const folder = this.folders.of(path);
    if (!folder?.enabled) return;
    // The edited file is published first: it is the one being looked at.
    this.dirty.add(path);
    const affected = change === 'deleted' ? folder.remove(path) : folder.update(path, change.text);
    for (const file of affected) this.dirty.add(file);
    this.touched.add(folder);
  }

  private async run(): Promise<void> {
    const generation = this.generation;
    const superseded = (): boolean => this.generation !== generation;
    for (const path of [...this.pending.keys()]) {
      if (superseded()) return;
      if (this.pending.has(path)) this.apply(path);
      await nextTurn();
    }
    for (const path of [...this.dirty]) {
      if (superseded()) return;
      this.dirty.delete(path);
      this.hooks.publish(path);
      await nextTurn();
    }
    if (superseded()) return;
    for (const folder of [...this.touched]) {
      this.touched.delete(folder);
      this.hooks.tasksTouched(folder);
    }
  }
}
