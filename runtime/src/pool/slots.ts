// At most `size` tasks at once; the rest wait in order. Pools never hand more to their executors
// than they can run, so a queued task never sits behind a busy child (and recycling is race-free).
export class Slots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {}

  /** Takes a free slot now if there is one. */
  tryAcquire(): boolean {
    if (this.used >= this.size) return false;
    this.used++;
    return true;
  }

  async acquire(): Promise<void> {
    if (this.tryAcquire()) return;
    // release() hands its slot straight to the next waiter.
    await new Promise<void>((wake) => this.waiting.push(wake));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.used--;
  }

  /** Lets every waiter through at once (the pool is closing: they will find it closed). */
  flush(): void {
    for (const wake of this.waiting.splice(0)) {
      this.used++;
      wake();
    }
  }
}
