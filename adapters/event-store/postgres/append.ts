import { InvalidAppendError, WrongExpectedVersionError } from '../../../domain/events/index.ts';
import type { AppendResult } from '../../../domain/ports/event-store.ts';
import { SCOPE_TAKEN_CONSTRAINT, SubjectKeyTakenError } from '../../key-store/index.ts';
import type { ValidatedAppend } from '../validation.ts';
import type { SqlRunner } from './runner.ts';
import { appendStatement } from './sql/append.ts';
import type { AppendRow } from './sql/append.ts';
import { appendBatchStatement } from './sql/append-batch.ts';
import type { AppendBatchRow } from './sql/append-batch.ts';
import { findStoredEventsStatement } from './sql/find-stored-events.ts';
import type { StoredEventsRow } from './sql/find-stored-events.ts';

const WRONG_EXPECTED_VERSION = 'EV001';
const UNIQUE_VIOLATION = '23505';
// Only 'any' appends racing on one stream come back round more than once; a bound keeps a pathological hot stream
// from spinning forever.
const MAX_ATTEMPTS = 20;

/**
 * One round trip when nothing is wrong. A revision mismatch or a unique-key violation is the rare path: it looks the
 * event ids up to tell a retried command (answer with the original result) from a real conflict.
 */
export async function appendEvents(runner: SqlRunner, input: ValidatedAppend): Promise<AppendResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const [row] = await runner.query<AppendRow>(appendStatement(input.stream, input.expectedRevision, input.events, input.keys));
      return { nextRevision: BigInt(row!.next_revision), position: BigInt(row!.last_position) };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== WRONG_EXPECTED_VERSION && code !== UNIQUE_VIOLATION) throw error;
      const original = await alreadyStored(runner, input);
      if (original) return original;
      // Not a retry: a scope of the new keys has a key already (another writer's, or a shredded one).
      if ((error as { constraint?: unknown }).constraint === SCOPE_TAKEN_CONSTRAINT) throw new SubjectKeyTakenError((input.keys ?? []).map((key) => key.scope));
      if (code === WRONG_EXPECTED_VERSION) {
        const actual = BigInt(String((error as { detail?: unknown }).detail));
        throw new WrongExpectedVersionError(input.stream, input.expectedRevision.toString(), actual);
      }
      // Another writer took the revision we read. Trying again re-reads it: 'any' then succeeds, an exact
      // expectation fails with the actual revision.
      if (attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/**
 * Several appends in one statement and one transaction; throws (having written nothing) if any item fails. Items go
 * to the server sorted by stream (a stream's own items keep their order), so every batch takes its streams' keys in
 * the same order: two open batches touching the same streams wait for each other, never in a cycle (a deadlock would
 * cost a second of deadlock_timeout and a redo of both). Results come back in the callers' order.
 */
export async function appendBatch(runner: SqlRunner, items: ValidatedAppend[]): Promise<AppendResult[]> {
  const order = items.map((_, index) => index).sort((a, b) => compareCodeUnits(items[a]!.stream, items[b]!.stream) || a - b);
  const rows = await runner.query<AppendBatchRow>(appendBatchStatement(order.map((index) => items[index]!)));
  if (rows.length !== items.length) throw new Error(`a batch of ${items.length} appends returned ${rows.length} rows`);
  const results: AppendResult[] = new Array(items.length);
  for (const row of rows) results[order[Number(row.ord) - 1]!] = { nextRevision: BigInt(row.next_revision), position: BigInt(row.last_position) };
  return results;
}

const compareCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function alreadyStored(runner: SqlRunner, input: ValidatedAppend): Promise<AppendResult | undefined> {
  const rows = await runner.query<StoredEventsRow>(findStoredEventsStatement(input.events));
  if (rows.length === 0) return undefined;
  const stored = rows.reduce((sum, row) => sum + Number(row.stored), 0);
  const [only] = rows;
  if (rows.length === 1 && only!.stream_id === input.stream && stored === input.events.length) {
    return { nextRevision: BigInt(only!.last_revision), position: BigInt(only!.last_position), replayed: true };
  }
  const elsewhere = rows.some((row) => row.stream_id !== input.stream) ? ' (some in another stream)' : '';
  throw new InvalidAppendError(
    `${stored} of ${input.events.length} event ids are already stored${elsewhere}: a retry must resend exactly the original events`,
  );
}
