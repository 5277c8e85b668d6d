import type { ReadStore, ReadStoreTransaction } from '../../domain/ports/read-store.ts';

/** The lease token a projection's writes carry; null when the runner runs without leases (a single process, the CLI). */
export interface Fence {
  projection: string;
  token: number;
}

/** A read-store transaction that the store refuses as a whole if a newer lease holder has raised the fence since. */
export function fencedTransaction<T>(readStore: ReadStore, fence: Fence | null, work: (tx: ReadStoreTransaction) => Promise<T>): Promise<T> {
  return readStore.transaction(async (tx) => {
    if (fence) await tx.fence(fence.projection, fence.token);
    return work(tx);
  });
}
