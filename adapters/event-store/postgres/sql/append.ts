import type { NewEvent } from '../../../../domain/events/index.ts';
import type { ExpectedRevision } from '../../../../domain/ports/event-store.ts';
import type { NewSubjectKey } from '../../../../domain/ports/key-store.ts';
import { insertNewKeys, newKeysJson } from '../../../key-store/index.ts';
import { eventDigest } from '../log-chain.ts';
import type { SqlStatement } from '../runner.ts';

export interface AppendRow {
  next_revision: string;
  last_position: string;
}

/**
 * The whole append (expectation check and insert) is one function call: one round trip whatever the number of
 * events. Events travel as one JSON text parameter, parsed once by jsonb.
 */
export function appendStatement(stream: string, expected: ExpectedRevision, events: readonly NewEvent[], keys?: readonly NewSubjectKey[]): SqlStatement {
  const append = 'SELECT r.next_revision::text, r.last_position::text FROM event_store_append($1, $2, $3::text::jsonb) r';
  if (keys && keys.length > 0) {
    // The keys' insert is part of the same statement, hence of the same transaction: both or neither.
    return {
      name: 'event_store_append_with_keys',
      text: `WITH new_keys AS (${insertNewKeys('$4', 'fail')}) ${append}`,
      values: [stream, expectedText(expected), eventsJson(events), newKeysJson(keys)],
    };
  }
  return { name: 'event_store_append', text: append, values: [stream, expectedText(expected), eventsJson(events)] };
}

/** The expectation as the append functions take it: 'no_stream', 'stream_exists', 'any' or a revision. */
export function expectedText(expected: ExpectedRevision): string {
  return typeof expected === 'bigint' ? expected.toString() : expected;
}

/**
 * The events as the append functions take them, as JSON text: { type, data, metadata, digest } each, the digest
 * (log-chain.ts) taken over exactly the values sent, which the verifier recomputes from the stored row.
 */
function serialize(events: readonly NewEvent[]): string {
  return JSON.stringify(events.map(({ type, data, metadata }) => ({ type, data, metadata, digest: eventDigest({ type, data, metadata }).toString('hex') })));
}

const prepared = new WeakMap<readonly NewEvent[], string>();

/**
 * Digests and serialises an append's events when it is submitted, while earlier appends hold the log lock, rather
 * than on the critical path when its batch is sent (RFC 8785 costs about 30 us an event). The text is also a
 * snapshot: a caller changing its event objects afterwards cannot make the digest disagree with what is stored.
 */
export function prepareEvents(events: readonly NewEvent[]): void {
  if (!prepared.has(events)) prepared.set(events, serialize(events));
}

export function eventsJson(events: readonly NewEvent[]): string {
  return prepared.get(events) ?? serialize(events);
}

export function forgetPreparedEvents(events: readonly NewEvent[]): void {
  prepared.delete(events);
}
