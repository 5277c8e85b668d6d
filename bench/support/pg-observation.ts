/** What the database does during a load run: statements sent by this process, and what its backends wait on. */
import pg from 'pg';

/**
 * Counts the SQL statements this process sends during a run, by statement (name, or its first words), by wrapping
 * pg's Client.query for the run only (profile mode): how many database round trips one request really costs,
 * including the projections and reactors running beside the API.
 */
export function countQueries(): () => Array<{ statement: string; count: number }> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const counts = new Map<string, number>();
  proto.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0] as string | { name?: string; text?: string } | undefined;
    const text = typeof config === 'string' ? config : (config?.name ?? config?.text ?? '?');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 60);
    if (!key.startsWith('bench_')) counts.set(key, (counts.get(key) ?? 0) + 1);
    return original.apply(this, args);
  };
  return () => {
    proto.query = original;
    return [...counts.entries()].map(([statement, count]) => ({ statement, count })).sort((a, b) => b.count - a.count);
  };
}

export interface BackendSample {
  samples: number;
  /** Mean number of backends of the Errand database in each state / wait event at a sample. */
  mean: Array<{ what: string; backends: number }>;
}

/** Samples pg_stat_activity for the Errand database: are requests waiting on the database's CPU, its WAL, or locks? */
export function sampleBackends(pool: pg.Pool): () => Promise<BackendSample> {
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await pool.query<{ what: string; n: string }>({
        name: 'bench_backends',
        text: `SELECT coalesce(state, 'background') || coalesce(' / ' || wait_event_type || ':' || wait_event, '') AS what, count(*) AS n
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1`,
      });
      samples += 1;
      for (const row of rows) counts.set(row.what, (counts.get(row.what) ?? 0) + Number(row.n));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
    const mean = [...counts.entries()].map(([what, n]) => ({ what, backends: n / Math.max(1, samples) })).sort((a, b) => b.backends - a.backends);
    return { samples, mean };
  };
}
