/**
 * Columns every read returns, bigint as text so pg (strings) and PGlite (BigInt) agree. The aliases shadow the
 * columns in ORDER BY, so statements must order by `events.<column>` or they sort text. The epoch (one row, read
 * once per statement) is the commit half of every checkpoint: see migration 003.
 */
export const EVENT_COLUMNS = `global_position::text AS global_position, (SELECT epoch FROM event_store_log)::text AS epoch,
  stream_id, stream_revision::text AS stream_revision, type, data, metadata, encode(link, 'hex') AS link`;

export interface EventRow {
  global_position: string;
  epoch: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  data: unknown;
  metadata: unknown;
  link: string;
}
