/**
 * Waiters parked until something happens (a message published, a result stored) or a deadline
 * passes: how fetch and waitForResult sleep without polling.
 */
export class Wakeup {
  private readonly waiters = new Set<() => void>();
  private wakes = 0;

  /** How many wake()s so far: read it before looking, pass it to wait(), and a wake() that came
   *  while looking (when nobody was waiting yet) is not missed. */
  get generation(): number {
    return this.wakes;
  }

  /** Resolves on the next wake() (or at once if one came since `since`), after `ms`, or when
   *  `signal` aborts, whichever is first. */
  wait(ms: number, signal?: AbortSignal, since?: number): Promise<void> {
    if (signal?.aborted || ms <= 0 || (since !== undefined && since !== this.wakes)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  wake(): void {
    this.wakes++;
    for (const done of [...this.waiters]) done();
  }

  get waiting(): number {
    return this.waiters.size;
  }
}
