// Collects calls and hands them to one batch call: tasks finishing together are stored and
// acknowledged in one broker round trip instead of one each. Latency first: an item added while no
// batch is in flight leaves as soon as the current tick ends (process.nextTick, so calls made in
// the same tick still travel together); items added while a batch is in flight gather and leave the
// moment it returns. Idle, a result goes out at once; busy, batches grow with the load.
// Every caller of a batch gets the batch's one promise: they succeed or fail together anyway, and
// a promise per item is what a no-op task would mostly pay for.

export class Batcher<T> {
  private items: T[] = [];
  private gathering: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;
  private inFlight = false;

  constructor(private readonly flushBatch: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    this.items.push(item);
    if (!this.gathering) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
      this.gathering = { promise, resolve, reject };
      if (!this.inFlight) process.nextTick(this.flush);
    }
    return this.gathering.promise;
  }

  private readonly flush = (): void => {
    const batch = this.gathering!;
    const items = this.items;
    this.items = [];
    this.gathering = undefined;
    this.inFlight = true;
    let sent: Promise<void>;
    try {
      sent = this.flushBatch(items);
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(batch.resolve, batch.reject).finally(this.landed);
  };

  private readonly landed = (): void => {
    this.inFlight = false;
    if (this.gathering) this.flush();
  };
}
