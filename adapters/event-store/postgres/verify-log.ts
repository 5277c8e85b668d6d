import { LogVerifier, type LogVerdict, type TrustedHead } from './log-chain.ts';
import type { SqlRunner } from './runner.ts';

const PAGE = 2000;

interface LinkedRow {
  position: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  data: unknown;
  metadata: unknown;
  link: Uint8Array;
}

/**
 * Verifies the events table itself (never a projection, so rebuilding one cannot change the answer): every link
 * recomputed from the stored contents from the first row on, positions gap-free, and every trusted head met.
 */
export async function verifyEventLog(runner: SqlRunner, heads: readonly TrustedHead[] = [], from?: TrustedHead): Promise<LogVerdict> {
  const verifier = new LogVerifier(heads, from);
  let after = from?.position ?? -(2n ** 63n);
  for (;;) {
    const rows: LinkedRow[] = await runner.query<LinkedRow>({
      text: `SELECT global_position::text AS position, stream_id, stream_revision::text AS stream_revision, type, data, metadata, link
               FROM events WHERE global_position > $1::bigint
              ORDER BY events.global_position LIMIT ${PAGE}`,
      values: [after.toString()],
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      const going = verifier.push({
        position: BigInt(row.position),
        stream: row.stream_id,
        revision: BigInt(row.stream_revision),
        type: row.type,
        data: row.data,
        metadata: row.metadata,
        link: Buffer.from(row.link),
      });
      if (!going) return verifier.finish();
    }
    after = BigInt(rows[rows.length - 1]!.position);
  }
  return verifier.finish();
}
