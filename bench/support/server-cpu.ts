import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { ServerCpu } from './measure.ts';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * CPU milliseconds used so far by the backends connected to this database, read from /proc. Only works when the
 * server runs on this machine (the bench's own setup); anywhere else it reports nothing rather than a wrong figure.
 */
export function postgresServerCpu(pool: pg.Pool): ServerCpu {
  return async () => {
    try {
      const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
      let ticks = 0;
      for (const { pid } of rows) {
        // A backend that ended between the query and the read (a pool closing a connection) is skipped, not fatal.
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT' || error.code === 'ESRCH') return null;
          throw error;
        });
        if (stat === null) continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      }
      return ticks * TICK_MS;
    } catch {
      return undefined;
    }
  };
}
