import { caseIdOfStream, caseStream } from '../../domain/case/events.ts';
import { isWrongExpectedVersion, type Actor, type NewEvent, type RecordedEvent } from '../../domain/events/index.ts';
import { SUBJECT_KEYS_SHREDDED, type ShreddingReason, type SubjectKeysShreddedData } from '../../domain/privacy/events.ts';
import { caseRecordFacts, evidenceScope } from '../../domain/privacy/retention.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { localDate } from '../../domain/calendar/index.ts';
import { eventIdFor } from '../../workflows/index.ts';
import type { KeyStore } from '../../domain/ports/key-store.ts';
import type { UploadStore } from '../../domain/ports/uploads.ts';
import type { SealingEventStore } from './sealing-event-store.ts';

export interface ShredWhy {
  reason: ShreddingReason;
  /** The retention rule applied, in words (non-personal). */
  rule?: string | null;
  requestId?: string | null;
  actor?: Actor;
}

export type ShredOutcome =
  | { status: 'shredded'; keyIds: string[] }
  | { status: 'held'; holds: string[] }
  /** Nothing left to shred: the keys were destroyed before (or never made). */
  | { status: 'nothing' };

export interface Shredder {
  /** Shreds a case's keys (its records and its evidence, or only its evidence), unless a legal hold blocks it. */
  shredCase(caseId: string, why: ShredWhy, part?: 'all' | 'evidence'): Promise<ShredOutcome>;
  /**
   * Finishes the shreddings a case's log records whose keys are still live (a process stopped between the record and
   * the destruction); answers the keys destroyed now. `events`: the case's stream, when the caller has just read it.
   */
  finishCase(caseId: string, events?: readonly RecordedEvent[]): Promise<string[]>;
  /** The rebuilds shreddings owe; `resume` asks for any a stopped process left owed. */
  readonly rebuilds: ShredRebuilds;
}

/**
 * The rebuilds a shredding owes the read models that hold personal values (their live projectors cannot take a value
 * back out). Owed durably before any key is destroyed, so a process that stops between destroying and asking leaves
 * the debt on record for the next pass (`resume`) instead of clear values in the read models for good.
 */
export interface ShredRebuilds {
  /** Notes, durably, that rebuilds will be owed; answers the note's token. Throws when it cannot be noted. */
  owe(): Promise<string>;
  /** Asks for the rebuilds, then settles the note taken under `token` (a later note, another shredding's, stays). */
  request(token: string): Promise<void>;
  /** Asks for the rebuilds a note still on record owes (its process stopped before asking); true when there was one. */
  resume(): Promise<boolean>;
}

const SYSTEM: Actor = { kind: 'system', id: 'privacy' };
/** Reads of the case before the record gives up: each lost one means another append landed in between. */
const ATTEMPTS = 5;

/**
 * Crypto-shredding: destroys subject keys, deletes the subject's uploaded files, and records a non-personal
 * SubjectKeysShredded event on the case stream naming the keys and the rule or request. The log, its hash links and
 * every non-personal fact stay as they were. `rebuilds` asks the read models that hold personal values to be
 * rebuilt, so no clear value remains in them (owed durably before any key is destroyed: see ShredRebuilds).
 *
 * The record comes first, appended at the revision the decision was read at, and the destruction after it. A legal
 * hold is placed the same way (erasure.ts), so the case's stream orders the two: a hold placed after the read makes
 * the record fail, and the case is read and decided again (held, now); a hold placed after the record comes after the
 * shredding in the log too. Destroying first would let a hold placed in between be acknowledged and ignored. A process
 * that stops between the record and the destruction leaves a record whose keys are live: `finishCase` (run by every
 * shredding of the case and by each retention pass) destroys them, where destroying first would have left destroyed
 * keys that no event records, and nothing to find them by.
 */
export function createShredder(deps: {
  eventStore: SealingEventStore;
  keys: KeyStore;
  uploads: UploadStore;
  clock: Clock;
  rebuilds: ShredRebuilds;
  /** The zone of the day a shredding is dated by (the retention rules count local days); default Asia/Shanghai. */
  timeZone?: string;
}): Shredder {
  const { eventStore, keys, uploads, clock } = deps;

  async function record(stream: string, scope: string, keyIds: string[], why: ShredWhy, expectedRevision: bigint | 'any'): Promise<void> {
    const now = clock.now();
    const data: SubjectKeysShreddedData = {
      keyIds,
      scope,
      reason: why.reason,
      rule: why.rule ?? null,
      requestId: why.requestId ?? null,
      shreddedOn: localDate(now, deps.timeZone ?? 'Asia/Shanghai'),
    };
    // The same keys give the same event id: two shredders deciding alike on one read store it once.
    const commandId = `shred-${keyIds.join('-')}`;
    const event: NewEvent = {
      type: SUBJECT_KEYS_SHREDDED,
      data: data as unknown as Record<string, unknown>,
      metadata: {
        eventId: eventIdFor(commandId, 0),
        schemaVersion: 1,
        occurredAt: now.toISOString(),
        correlationId: why.requestId ?? commandId,
        causationId: why.requestId ?? null,
        actor: why.actor ?? SYSTEM,
        commandId,
      },
    };
    await eventStore.append(stream, [event], { expectedRevision });
  }

  /** The ids of the live keys of `scopes`. */
  async function liveKeys(scopes: readonly string[]): Promise<string[]> {
    const live: string[] = [];
    for (const scope of scopes) {
      const key = await keys.scope(scope);
      if (key && key.shreddedAt === null) live.push(key.keyId);
    }
    return live;
  }

  /** Destroys keys, the rebuilds they make owed noted first; answers what was destroyed and the note's token. */
  async function destroy(keyIds: readonly string[]): Promise<{ destroyed: string[]; owed: string }> {
    const owed = await deps.rebuilds.owe();
    const destroyed = await keys.shred([...keyIds], clock.now().toISOString());
    // The store may destroy more than was asked (a twin evidence key left by an upgrade): forget all of it here now.
    eventStore.forget([...new Set([...keyIds, ...destroyed])]);
    return { destroyed, owed };
  }

  /**
   * Uploaded files are the subject's data too; they are named by hash in MaterialUploaded, which stays. The files the
   * store kept for the case go too (one stored by an upload stopped before its event is named by no event), except
   * those another case holds as well.
   */
  async function deleteUploads(stream: string, events: readonly RecordedEvent[]): Promise<void> {
    const named = events.flatMap((event) => (event.type === 'MaterialUploaded' && typeof event.data.sha256 === 'string' ? [event.data.sha256] : []));
    const caseId = caseIdOfStream(stream);
    if (caseId !== null) await uploads.deleteOfCase(caseId, named);
    else for (const sha256 of named) await uploads.delete(sha256);
  }

  /** The scopes a record covers: the whole case (its records and evidence) or only its evidence. */
  const recordScopes = (stream: string, scope: string) => (scope === stream ? [stream, evidenceScope(stream)] : [scope]);

  async function finishRecorded(stream: string, events: readonly RecordedEvent[]): Promise<{ finished: string[]; owed: string | null }> {
    const finished: string[] = [];
    let owed: string | null = null;
    for (const event of events) {
      if (event.type !== SUBJECT_KEYS_SHREDDED) continue;
      const data = event.data as unknown as Partial<SubjectKeysShreddedData>;
      if (typeof data.scope !== 'string' || !Array.isArray(data.keyIds)) continue;
      const live = await liveKeys(recordScopes(stream, data.scope));
      if (live.length === 0) continue;
      // Files first: a destroyed key then always means its files are gone too.
      if (data.scope === stream) await deleteUploads(stream, events);
      const done = await destroy([...new Set([...data.keyIds, ...live])]);
      finished.push(...done.destroyed);
      owed = done.owed;
    }
    return { finished, owed };
  }

  async function finishCase(caseId: string, read?: readonly RecordedEvent[]): Promise<string[]> {
    const stream = caseStream(caseId);
    const { finished, owed } = await finishRecorded(stream, read ?? (await eventStore.readStream(stream)));
    if (owed !== null) await deps.rebuilds.request(owed);
    return finished;
  }

  async function shredCase(caseId: string, why: ShredWhy, part: 'all' | 'evidence' = 'all'): Promise<ShredOutcome> {
    const stream = caseStream(caseId);
    for (let attempt = 1; ; attempt += 1) {
      const events = await eventStore.readStream(stream);
      if (events.length === 0) return { status: 'nothing' };
      const { finished, owed } = await finishRecorded(stream, events);
      const done = async (): Promise<ShredOutcome> => {
        if (owed === null) return { status: 'nothing' };
        await deps.rebuilds.request(owed);
        return { status: 'shredded', keyIds: finished };
      };
      const facts = caseRecordFacts(events);
      if (facts.holds.length > 0) return finished.length > 0 ? done() : { status: 'held', holds: facts.holds };
      const scope = part === 'evidence' ? evidenceScope(stream) : stream;
      const live = await liveKeys(recordScopes(stream, scope));
      if (live.length === 0) return done();
      try {
        await record(stream, scope, live, why, events.at(-1)!.revision);
      } catch (error) {
        // Something was appended since the read (a legal hold, say): read and decide again.
        if (isWrongExpectedVersion(error) && attempt < ATTEMPTS) continue;
        throw error;
      }
      if (part === 'all') await deleteUploads(stream, events);
      const { destroyed, owed: owedNow } = await destroy(live);
      // A twin evidence key left by an upgrade goes with the key asked for: on record too, so every reader forgets it.
      const extra = destroyed.filter((id) => !live.includes(id));
      if (extra.length > 0) await record(stream, scope, extra, why, 'any');
      await deps.rebuilds.request(owedNow);
      return { status: 'shredded', keyIds: [...new Set([...finished, ...live, ...destroyed])] };
    }
  }

  return { shredCase, finishCase, rebuilds: deps.rebuilds };
}
