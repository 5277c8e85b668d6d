import type { NewEvent } from '../../../../domain/events/index.ts';
import type { ExpectedRevision } from '../../port.ts';
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
export function appendStatement(stream: string, expected: ExpectedRevision, events: readonly NewEvent[]): SqlStatement {
  return {
    name: 'event_store_append',
    text: 'SELECT r.next_revision::text, r.last_position::text FROM event_store_append($1, $2, $3::text::jsonb) r',
    values: [stream, expectedText(expected), JSON.stringify(eventsPayload(events))],
  };
}

/** The expectation as the append functions take it: 'no_stream', 'stream_exists', 'any' or a revision. */
export function expectedText(expected: ExpectedRevision): string {
  return typeof expected === 'bigint' ? expected.toString() : expected;
}

/**
 * The events as the append functions take them: { type, data, metadata, digest } each, the digest (log-chain.ts)
 * taken over exactly the values sent, which the verifier recomputes from the stored row.
 */
export function eventsPayload(events: readonly NewEvent[]): Array<Pick<NewEvent, 'type' | 'data' | 'metadata'> & { digest: string }> {
  return events.map(({ type, data, metadata }) => ({ type, data, metadata, digest: eventDigest({ type, data, metadata }).toString('hex') }));
}
