import { isDependencyUnavailable } from './dependency-unavailable.ts';

/**
 * Group commit, for the event store's appends and the key store's new keys. Up to `maxInFlight` statements run at
 * once; callers arriving while all of them are busy wait, and when one finishes everything that waited goes out
 * together as one batch: one round trip, one transaction, one WAL flush for many items. A caller that finds a free
 * slot goes out alone at once, so a quiet store adds no latency and no timer ever delays a write.
 *
 * A batch is all or nothing on the server. If it fails (a conflict, a retried command, a bad item), its items are
 * redone on their own through `single`, one after another in the same slot, which gives each caller exactly the
 * answer a lone write would have without ever running more than `maxInFlight` statements. Not when the server could
 * not be reached (adapters/dependency-unavailable.ts): each redo would wait out the same outage, a pool's 30 s connect
 * bound one item after another, so the last of 64 would answer after half an hour. The whole group then fails at
 * once with that error, which callers already treat as "try again later" (503, a job that waits).
 */
export interface GroupCommitOptions {
  maxInFlight: number;
  maxBatch: number;
}

export interface GroupCommit<In, Out> {
  submit(item: In): Promise<Out>;
}

interface Waiting<In, Out> {
  item: In;
  resolve(value: Out): void;
  reject(reason: unknown): void;
}

export function groupCommit<In, Out>(
  single: (item: In) => Promise<Out>,
  batch: (items: In[]) => Promise<Out[]>,
  options: GroupCommitOptions,
): GroupCommit<In, Out> {
  if (!(options.maxInFlight >= 1) || !(options.maxBatch >= 1)) throw new RangeError('maxInFlight and maxBatch must be at least 1');
  const queue: Waiting<In, Out>[] = [];
  let inFlight = 0;

  const settleAlone = (waiting: Waiting<In, Out>) => single(waiting.item).then(waiting.resolve, waiting.reject);

  const send = async (group: Waiting<In, Out>[]): Promise<void> => {
    if (group.length === 1) return settleAlone(group[0]!);
    let results: Out[];
    try {
      results = await batch(group.map((waiting) => waiting.item));
      if (results.length !== group.length) throw new Error(`a batch of ${group.length} returned ${results.length} results`);
    } catch (error) {
      if (isDependencyUnavailable(error)) {
        for (const waiting of group) waiting.reject(error);
        return;
      }
      for (const waiting of group) await settleAlone(waiting);
      return;
    }
    group.forEach((waiting, index) => waiting.resolve(results[index]!));
  };

  const pump = () => {
    while (inFlight < options.maxInFlight && queue.length > 0) {
      inFlight += 1;
      // The slot stays taken until the end of this event-loop turn: callers resumed by this batch usually append
      // again at once, and they should find each other in the queue rather than the first of them going out alone.
      void send(queue.splice(0, options.maxBatch)).finally(() =>
        setImmediate(() => {
          inFlight -= 1;
          pump();
        }),
      );
    }
  };

  return {
    submit(item) {
      return new Promise<Out>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
  };
}
