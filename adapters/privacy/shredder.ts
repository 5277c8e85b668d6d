import { caseIdOfStream, caseStream } from '../../domain/case/events.ts';
import type { Actor, NewEvent } from '../../domain/events/index.ts';
import { PRIVACY_LOG_STREAM, SUBJECT_KEYS_SHREDDED, type ShreddingReason, type SubjectKeysShreddedData } from '../../domain/privacy/events.ts';
import { caseOfEvidenceScope, caseRecordFacts, evidenceScope } from '../../domain/privacy/retention.ts';
import type { Clock } from '../../domain/time/clock.ts';
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
  /** Every key of a subject (by ID number): cases without a legal hold, and the subject's own streams. */
  shredSubject(subjectId: string, why: ShredWhy): Promise<{ shredded: string[]; held: Array<{ caseId: string; holds: string[] }> }>;
}

const SYSTEM: Actor = { kind: 'system', id: 'privacy' };

/**
 * Crypto-shredding: destroys subject keys, deletes the subject's uploaded files, and records a non-personal
 * SubjectKeysShredded event (on the case stream, else `privacy-log`) naming the keys and the rule or request. The
 * log, its hash links and every non-personal fact stay as they were. `afterShred` asks the read models that hold
 * personal values to be rebuilt, so no clear value remains in them.
 */
export function createShredder(deps: {
  eventStore: SealingEventStore;
  keys: KeyStore;
  uploads: UploadStore;
  clock: Clock;
  afterShred: () => Promise<void>;
}): Shredder {
  const { eventStore, keys, uploads, clock } = deps;

  async function record(stream: string, scope: string, keyIds: string[], why: ShredWhy): Promise<void> {
    const now = clock.now();
    const data: SubjectKeysShreddedData = {
      keyIds,
      scope,
      reason: why.reason,
      rule: why.rule ?? null,
      requestId: why.requestId ?? null,
      shreddedOn: now.toISOString().slice(0, 10),
    };
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
    await eventStore.append(stream, [event], { expectedRevision: 'any' });
  }

  async function destroy(scopes: string[]): Promise<string[]> {
    const live: string[] = [];
    for (const scope of scopes) {
      const key = await keys.scope(scope);
      if (key && key.shreddedAt === null) live.push(key.keyId);
    }
    const destroyed = await keys.shred(live, clock.now().toISOString());
    // The store may destroy more than was asked (a twin evidence key left by an upgrade): forget all of it here now.
    eventStore.forget([...new Set([...live, ...destroyed])]);
    return destroyed;
  }

  async function shredCase(caseId: string, why: ShredWhy, part: 'all' | 'evidence' = 'all'): Promise<ShredOutcome> {
    const stream = caseStream(caseId);
    const events = await eventStore.readStream(stream);
    if (events.length === 0) return { status: 'nothing' };
    const facts = caseRecordFacts(events);
    if (facts.holds.length > 0) return { status: 'held', holds: facts.holds };
    const scopes = part === 'evidence' ? [evidenceScope(stream)] : [stream, evidenceScope(stream)];
    if (part === 'all') {
      // Uploaded files are the subject's data too; they are named by hash in MaterialUploaded, which stays.
      for (const event of events) {
        if (event.type === 'MaterialUploaded' && typeof event.data.sha256 === 'string') await uploads.delete(event.data.sha256);
      }
    }
    const destroyed = await destroy(scopes);
    if (destroyed.length === 0) return { status: 'nothing' };
    await record(stream, part === 'evidence' ? evidenceScope(stream) : stream, destroyed, why);
    await deps.afterShred();
    return { status: 'shredded', keyIds: destroyed };
  }

  return {
    shredCase,
    async shredSubject(subjectId, why) {
      const owned = await keys.keysOfSubject(eventStore.subjectRef(subjectId));
      const shredded: string[] = [];
      const held: Array<{ caseId: string; holds: string[] }> = [];
      const cases = new Set<string>();
      const others: string[] = [];
      for (const key of owned) {
        const base = caseOfEvidenceScope(key.scope) ?? key.scope;
        const caseId = caseIdOfStream(base);
        if (caseId !== null) cases.add(caseId);
        else if (key.shreddedAt === null) others.push(key.scope);
      }
      for (const caseId of cases) {
        const outcome = await shredCase(caseId, why);
        if (outcome.status === 'shredded') shredded.push(...outcome.keyIds);
        if (outcome.status === 'held') held.push({ caseId, holds: outcome.holds });
      }
      // While a case is held, the subject's other streams (access log, requests) stay readable too: they name it.
      if (held.length === 0 && others.length > 0) {
        const destroyed = await destroy(others);
        if (destroyed.length > 0) {
          await record(PRIVACY_LOG_STREAM, 'subject', destroyed, why);
          await deps.afterShred();
          shredded.push(...destroyed);
        }
      }
      return { shredded, held };
    },
  };
}
