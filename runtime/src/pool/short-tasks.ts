// Which tasks run in well under a millisecond, from their recent wall times. The prefork pool
// queues only those in a busy child, several to an IPC message: a task that may run long never
// waits behind another, and no-op-sized tasks stop paying a message round trip each.

/** A task whose recent wall time averages below this is short. */
const SHORT_MS = 1;
/** Weight of the newest sample: one long run makes a task long at once; it takes ~20 short ones to be short again. */
const WEIGHT = 0.2;

export class ShortTasks {
  private readonly wallMs = new Map<string, number>();
  /** Over every task: whether the pool has been running short tasks lately. */
  private recent = Infinity;

  record(task: string, wallMs: number): void {
    const before = this.wallMs.get(task);
    this.wallMs.set(task, before === undefined ? wallMs : before + WEIGHT * (wallMs - before));
    this.recent = this.recent === Infinity ? wallMs : this.recent + WEIGHT * (wallMs - this.recent);
  }

  /** Known, and short lately. A task never run here is not. */
  isShort(task: string): boolean {
    const ms = this.wallMs.get(task);
    return ms !== undefined && ms < SHORT_MS;
  }

  /** The tasks run lately were short: worth reserving more, to queue them. */
  get lately(): boolean {
    return this.recent < SHORT_MS;
  }
}
