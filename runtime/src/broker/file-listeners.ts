// Who subscribes to the embedded broker's events: each subscription is an empty file in listeners/
// named after its process (file-owner.ts), removed when it unsubscribes; one left by a process
// that died is removed by the next look. Workers skip task events while the folder holds no live
// subscriber (Broker.watchListeners), as serialising and appending them is a large part of a
// small task's cost.
import { readdirSync, statSync, unlinkSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { ownerAlive, SELF } from './file-owner.ts';

/** How often the folder is looked at again even without a change (a subscriber that died changes nothing). */
const RECOUNT_MS = 2000;

export class Listeners {
  private seq = 0;
  private mtime = -1n;
  private listening: boolean | undefined;
  private readonly watchers = new Set<(listening: boolean) => void>();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dir: string, private readonly tag: string) {}

  /** Registers a subscription; returns the function that ends it. */
  join(): () => void {
    const file = join(this.dir, `${SELF}.${this.tag}.${this.seq++}`);
    writeFileSync(file, '');
    return () => {
      try {
        unlinkSync(file);
      } catch {
        // Gone already: nothing to undo.
      }
    };
  }

  /** Tells `onChange` whether anyone subscribes, now and whenever that changes; returns a stop function. */
  watch(onChange: (listening: boolean) => void): () => void {
    const known = this.listening;
    this.watchers.add(onChange);
    if (this.watchers.size === 1) {
      try {
        this.watcher = watch(this.dir, { persistent: false }, () => this.look(false));
        this.watcher.on('error', () => this.watcher?.close());
      } catch {
        // No watch on this filesystem: fetch and the timer still look.
      }
      this.timer = setInterval(() => this.look(true), RECOUNT_MS);
      this.timer.unref();
    }
    this.look(true);
    // A change tells every watcher, this one included; otherwise it alone learns the state.
    if (this.listening === known) onChange(this.listening ?? true);
    return () => {
      this.watchers.delete(onChange);
      if (this.watchers.size) return;
      this.watcher?.close();
      clearInterval(this.timer);
      this.listening = undefined;
      this.mtime = -1n;
    };
  }

  /**
   * Looks again if the folder changed (or always, with `force`). fetch calls it before it hands
   * out messages: a subscriber that joined before a task was sent hears that task's events.
   */
  look(force: boolean): void {
    if (!this.watchers.size) return;
    let listening = true;
    try {
      const mtime = statSync(this.dir, { bigint: true }).mtimeNs;
      if (!force && mtime === this.mtime) return;
      this.mtime = mtime;
      listening = readdirSync(this.dir).filter((name) => this.live(name)).length > 0;
    } catch {
      // Cannot tell: send events rather than lose them.
    }
    if (listening === this.listening) return;
    this.listening = listening;
    for (const onChange of this.watchers) onChange(listening);
  }

  /** Whether the subscription file's process still runs; removes it when not. */
  private live(name: string): boolean {
    if (ownerAlive(name.split('.')[0])) return true;
    try {
      unlinkSync(join(this.dir, name));
    } catch {
      // Removed by another process's look.
    }
    return false;
  }
}
