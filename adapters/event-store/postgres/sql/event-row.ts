/**
 * Columns every read returns, bigint and xid8 as text so pg (strings) and PGlite (BigInt) agree. The aliases shadow
 * the columns in ORDER BY, so statements must order by `events.<column>` or they sort text.
 */
export const EVENT_COLUMNS = `global_position::text AS global_position, transaction_id::text AS transaction_id,
  stream_id, stream_revision::text AS stream_revision, type, data, metadata`;

export interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  data: unknown;
  metadata: unknown;
}
