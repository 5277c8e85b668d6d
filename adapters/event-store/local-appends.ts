/**
 * "Something was appended here": a signal from a store's appends to the subscriptions that sleep on the same
 * database in this process, so they read at once instead of at their next idle poll. It only shortens a sleep:
 * every subscription still polls, which is what finds other processes' appends (PostgreSQL). On PGlite every
 * append comes through this process (one process per data folder), so its subscriptions can sleep longer.
 */
export interface LocalAppends {
  /** Called after an append committed. */
  notify(): void;
  /** `wake` runs at the next notify; the answer unregisters it. */
  listen(wake: () => void): () => void;
}

export function localAppends(): LocalAppends {
  const sleepers = new Set<() => void>();
  return {
    notify() {
      const woken = [...sleepers];
      sleepers.clear();
      for (const wake of woken) wake();
    },
    listen(wake) {
      sleepers.add(wake);
      return () => sleepers.delete(wake);
    },
  };
}

/** One signal per database object (a PGlite instance), shared by every store opened on it in this process. */
const byDatabase = new WeakMap<object, LocalAppends>();
export function localAppendsOf(database: object): LocalAppends {
  let signal = byDatabase.get(database);
  if (!signal) byDatabase.set(database, (signal = localAppends()));
  return signal;
}
