// Collects calls made in the same turn of the event loop and hands them to one batch call: tasks
// finishing together are acknowledged in one broker round trip (XACK of many ids, one rename pass)
// instead of one each. Every caller of a batch gets the batch's one promise: they succeed or fail
// together anyway, and a promise per item is what a no-op task would mostly pay for.

export class Batcher<T> {
  private items: T[] = [];
  private batch: Promise<void> | undefined;
  private release!: () => void;

  constructor(private readonly flushBatch: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    this.items.push(item);
    if (!this.batch) {
      this.batch = new Promise<void>((resolve) => { this.release = resolve; }).then(() => this.flush());
      setImmediate(this.release);
    }
    return this.batch;
  }

  private flush(): Promise<void> {
    const items = this.items;
    this.items = [];
    this.batch = undefined;
    return this.flushBatch(items);
  }
}
