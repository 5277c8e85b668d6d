import { InvalidAppendError, WrongExpectedVersionError } from '../../../domain/events/index.ts';
import type { ExpectedRevision } from '../port.ts';

interface DatabaseError {
  code?: unknown;
  detail?: unknown;
  constraint?: unknown;
  message?: unknown;
}

/** Turns the SQLSTATEs raised by event_store_append (and the unique keys behind it) into the port's typed errors. */
export function mapAppendError(error: unknown, stream: string, expected: ExpectedRevision): unknown {
  const e = (error ?? {}) as DatabaseError;
  if (e.code === 'EV001') {
    return new WrongExpectedVersionError(stream, expected.toString(), BigInt(String(e.detail)));
  }
  if (e.code === 'EV002') return new InvalidAppendError(String(e.message));
  // Only reachable when the same event id races into two different streams: the stream lock cannot see that.
  if (e.code === '23505' && e.constraint === 'events_event_id_key') {
    return new InvalidAppendError('an event id in this append is already stored in another stream');
  }
  return error;
}
