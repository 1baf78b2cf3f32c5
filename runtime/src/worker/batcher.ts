// Collects calls made in the same turn of the event loop and hands them to one batch call: tasks
// finishing together are acknowledged in one broker round trip (XACK of many ids, one rename pass)
// instead of one each. Each caller still gets its own promise, settled with the batch.

export class Batcher<T> {
  private pending: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];

  constructor(private readonly flushBatch: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.flushBatch(batch.map((entry) => entry.item)).then(
      () => { for (const entry of batch) entry.resolve(); },
      (error: unknown) => { for (const entry of batch) entry.reject(error); },
    );
  }
}
