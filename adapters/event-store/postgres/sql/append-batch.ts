import type { ValidatedAppend } from '../../validation.ts';
import type { SqlStatement } from '../runner.ts';
import { eventsJson, expectedText } from './append.ts';
import { insertNewKeys, newKeysJson } from '../../../key-store/index.ts';

export interface AppendBatchRow {
  ord: string;
  next_revision: string;
  last_position: string;
}

/** Several appends in one call of `event_store_append_batch`: one row per item, `ord` its 1-based place in `items`. */
export function appendBatchStatement(items: readonly ValidatedAppend[]): SqlStatement {
  // Assembled as text so each append's prepared events JSON goes in as it is (see prepareEvents).
  const batch = `[${items.map(({ stream, expectedRevision, events }) => `{"stream":${JSON.stringify(stream)},"expected":${JSON.stringify(expectedText(expectedRevision))},"events":${eventsJson(events)}}`).join(',')}]`;
  const append = 'SELECT r.ord::text, r.next_revision::text, r.last_position::text FROM event_store_append_batch($1::text::jsonb) r';
  const keys = items.flatMap((item) => item.keys ?? []);
  if (keys.length > 0) {
    return { name: 'event_store_append_batch_with_keys', text: `WITH new_keys AS (${insertNewKeys('$2', 'fail')}) ${append}`, values: [batch, newKeysJson(keys)] };
  }
  return { name: 'event_store_append_batch', text: append, values: [batch] };
}
