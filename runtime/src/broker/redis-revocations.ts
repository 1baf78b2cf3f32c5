// The Redis broker's view of the live revocations, so a fetch need not ask Redis about every
// message it reserved (an MGET per fetch was a round trip per one or two tasks on prefork and
// threads). `revoke` bumps a counter (the epoch) in the transaction that records the revocation;
// every fetch reads the epoch after its reservations. While it is the view's, the view holds every
// revocation made before those reservations; otherwise the view is loaded again (one MULTI).

export class RevocationView {
  /** The epoch the view is current for; undefined before the first load. */
  private epoch: string | undefined;
  /** Task id -> when its revocation expires (ms). */
  private expiries = new Map<string, number>();

  /** Whether the view holds every revocation counted by `epoch` (read after a fetch's reservations). */
  isCurrent(epoch: string | undefined): boolean {
    return epoch !== undefined && epoch === this.epoch;
  }

  /** `flat`: ZRANGE … WITHSCORES (id, expiry, id, expiry…), read in one transaction with `epoch`. */
  load(flat: string[], epoch: string): void {
    this.expiries = new Map();
    for (let i = 0; i < flat.length; i += 2) this.expiries.set(flat[i], Number(flat[i + 1]));
    this.epoch = epoch;
  }

  has(id: string, now: number): boolean {
    const expiresAt = this.expiries.get(id);
    return expiresAt !== undefined && expiresAt > now;
  }
}
