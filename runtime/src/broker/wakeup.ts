/**
 * Waiters parked until something happens (a message published, a result stored) or a deadline
 * passes: how fetch and waitForResult sleep without polling.
 */
export class Wakeup {
  private readonly waiters = new Set<() => void>();

  /** Resolves on the next wake(), after `ms`, or when `signal` aborts, whichever is first. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted || ms <= 0) return Promise.resolve();
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
    for (const done of [...this.waiters]) done();
  }

  get waiting(): number {
    return this.waiters.size;
  }
}
