import type { SqlStatement } from '../runner.ts';

/**
 * The last event readAll() may deliver now, by the same rule: only transactions older than the oldest one still in
 * flight. Reads the delivery-order index backwards, one row.
 */
export function headStatement(): SqlStatement {
  return {
    name: 'event_store_head',
    text: `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM events
            WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY events.transaction_id DESC, events.global_position DESC
            LIMIT 1`,
    values: [],
  };
}

export interface HeadRow {
  transaction_id: string;
  global_position: string;
}
