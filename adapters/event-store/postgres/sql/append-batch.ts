import type { ValidatedAppend } from '../../validation.ts';
import type { SqlStatement } from '../runner.ts';
import { eventsJson } from './append.ts';

export interface AppendBatchRow {
  ord: string;
  next_revision: string;
  last_position: string;
}

/** Several appends in one call of `event_store_append_batch`: one row per item, in the order given. */
export function appendBatchStatement(items: readonly ValidatedAppend[]): SqlStatement {
  const batch = items.map(({ stream, expectedRevision, events }) => {
    const expected = typeof expectedRevision === 'bigint' ? expectedRevision.toString() : expectedRevision;
    return `{"stream":${JSON.stringify(stream)},"expected":"${expected}","events":${eventsJson(events)}}`;
  });
  return {
    name: 'event_store_append_batch',
    text: 'SELECT r.ord::text, r.next_revision::text, r.last_position::text FROM event_store_append_batch($1::text::jsonb) r',
    values: [`[${batch.join(',')}]`],
  };
}
