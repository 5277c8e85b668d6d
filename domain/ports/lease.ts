/**
 * Leases decide which worker process runs each singleton job (a projection, a reactor). A lease comes with a fencing
 * token, larger than every token granted for that name before it, which the holder stamps on its writes so the read
 * store can refuse a stale holder (ReadStore.raiseFence / tx.fence).
 */
export interface Lease {
  readonly name: string;
  readonly token: number;
  /** Resolves once the lease is gone: released, its session lost, or the manager closed. Never rejects. */
  readonly lost: Promise<void>;
  held(): boolean;
  /** Gives the lease up so another process can take it; harmless once lost. */
  release(): Promise<void>;
}

export interface LeaseManager {
  readonly kind: 'postgres' | 'redis' | 'in-process';
  /** Processes in the pool right now, this one included: the share of leases each should hold follows from it. */
  members(): Promise<number>;
  /** The lease on `name` when nobody holds it, else null. Never waits for a holder to let go. */
  tryAcquire(name: string): Promise<Lease | null>;
  /** Releases every lease and leaves the pool. */
  close(): Promise<void>;
}

/** Shared by the adapters: a lease whose `lost` promise is settled exactly once. */
export class HeldLease implements Lease {
  readonly lost: Promise<void>;
  private settle!: () => void;
  private gone = false;

  constructor(
    readonly name: string,
    readonly token: number,
    private readonly letGo: (lease: HeldLease) => Promise<void>,
  ) {
    this.lost = new Promise((resolve) => (this.settle = resolve));
  }

  held(): boolean {
    return !this.gone;
  }

  /** The lease is gone without us asking (session dropped, manager closed). */
  markLost(): void {
    if (this.gone) return;
    this.gone = true;
    this.settle();
  }

  async release(): Promise<void> {
    if (this.gone) return;
    this.markLost();
    await this.letGo(this);
  }
}
