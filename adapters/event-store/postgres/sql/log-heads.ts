import type { SqlStatement } from '../runner.ts';

export interface LogHeadRow {
  position: string;
  size: string;
  link: string;
  signed_at: string;
  jws: string;
}

/**
 * The columns are rendered as text under their own names, and ORDER BY resolves a bare name to an output column
 * first: `ORDER BY position` sorted "999" after "1123", so latest() named an old head (the next insert then lost
 * on after_position, silently) and list() put the chain out of order, which audit verify reported as altered.
 * Statements order by `event_store_heads.position`, the bigint.
 */
const COLUMNS = `position::text AS position, size::text AS size, link, to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS signed_at, jws`;

export function latestLogHeadStatement(): SqlStatement {
  return { text: `SELECT ${COLUMNS} FROM event_store_heads ORDER BY event_store_heads.position DESC LIMIT 1`, values: [] };
}

export function listLogHeadsStatement(): SqlStatement {
  return { text: `SELECT ${COLUMNS} FROM event_store_heads ORDER BY event_store_heads.position`, values: [] };
}

/**
 * Inserts only while the head it follows is the latest and it lies above it (no row returned otherwise): a
 * publisher acting on a stale read cannot add a head out of order. Two inserts racing on the same latest head both
 * pass the condition; the unique after_position refuses the second.
 */
export function insertLogHeadStatement(head: { position: bigint; size: bigint; link: string; signedAt: string; jws: string }, after: bigint | null): SqlStatement {
  return {
    text: `INSERT INTO event_store_heads (position, size, link, signed_at, jws, after_position)
           SELECT $1::bigint, $2::bigint, $3, $4::timestamptz, $5, $6::bigint
            WHERE $1::bigint > $6::bigint
              AND coalesce((SELECT max(h.position) FROM event_store_heads h), 0) = $6::bigint
           RETURNING position::text AS position`,
    values: [head.position.toString(), head.size.toString(), head.link, head.signedAt, head.jws, (after ?? 0n).toString()],
  };
}
