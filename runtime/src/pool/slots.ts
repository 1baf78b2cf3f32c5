// At most `size` tasks at once; the rest wait in order. Pools never hand more to their executors
// than they can run, so a queued task never sits behind a busy child (and recycling is race-free).
export class Slots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly idle: Array<() => void> = [];

  constructor(private limit: number) {}

  get size(): number {
    return this.limit;
  }

  /** A larger size lets waiters in at once; a smaller one takes effect as running tasks release. */
  resize(size: number): void {
    this.limit = size;
    while (this.used < this.limit && this.waiting.length) {
      this.used++;
      this.waiting.shift()!();
    }
  }

  /** Takes a free slot now if there is one. */
  tryAcquire(): boolean {
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  async acquire(): Promise<void> {
    if (this.tryAcquire()) return;
    // release() hands its slot straight to the next waiter.
    await new Promise<void>((wake) => this.waiting.push(wake));
  }

  release(): void {
    // Over the size after a shrink: the slot is given up rather than handed on.
    const next = this.used <= this.limit ? this.waiting.shift() : undefined;
    if (next) next();
    else if (--this.used === 0) for (const wake of this.idle.splice(0)) wake();
  }

  /** Resolves once no slot is held. */
  async whenIdle(): Promise<void> {
    if (this.used > 0) await new Promise<void>((wake) => this.idle.push(wake));
  }

  /** Lets every waiter through at once (the pool is closing: they will find it closed). */
  flush(): void {
    for (const wake of this.waiting.splice(0)) {
      this.used++;
      wake();
    }
  }
}
