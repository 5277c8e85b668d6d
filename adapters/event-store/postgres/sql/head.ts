import type { SqlStatement } from '../runner.ts';

/** The last event readAll() may deliver now: simply the highest visible position (see read-all.ts). */
export function headStatement(): SqlStatement {
  return {
    name: 'event_store_head_linked',
    text: `SELECT l.epoch::text AS epoch, e.global_position::text AS global_position, encode(e.link, 'hex') AS link
             FROM event_store_log l
             JOIN LATERAL (SELECT events.global_position, events.link FROM events ORDER BY events.global_position DESC LIMIT 1) e ON true`,
    values: [],
  };
}

export interface HeadRow {
  epoch: string;
  global_position: string;
  link: string;
}
