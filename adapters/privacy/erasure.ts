import { caseStream } from '../../domain/case/events.ts';
import { isWrongExpectedVersion } from '../../domain/events/index.ts';
import type { Actor, NewEvent } from '../../domain/events/index.ts';
import {
  ERASURE_DECIDED, ERASURE_DECISION_STARTED, ERASURE_REQUESTED, ERASURE_STREAM_PREFIX, LEGAL_HOLD_LIFTED, LEGAL_HOLD_PLACED,
  type ErasureDecidedData, type ErasureDecisionStartedData, type ErasureRequestedData, type LegalHoldData, type LegalHoldLiftedData,
} from '../../domain/privacy/events.ts';
import { caseRecordFacts } from '../../domain/privacy/retention.ts';
import { localDate } from '../../domain/calendar/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { eventIdFor, IdempotencyKeyReusedError } from '../../workflows/index.ts';
import { ERASED } from '../../domain/privacy/personal-data.ts';
import type { KeyStore } from '../../domain/ports/key-store.ts';
import type { SealingEventStore } from './sealing-event-store.ts';
import type { Shredder } from './shredder.ts';

/** Why an erasure or hold command was refused; the API maps each to its problem. */
export class PrivacyCommandError extends Error {
  constructor(readonly code: 'not-found' | 'not-yours' | 'already-decided' | 'already-lifted', message: string) {
    super(message);
    this.name = 'PrivacyCommandError';
  }
}

export interface PrivacyCommands {
  requestErasure(input: { subjectId: string; caseIds: string[]; reason: string; commandId: string; actor: Actor }): Promise<{ requestId: string; replayed: boolean }>;
  decideErasure(input: { requestId: string; decision: 'accepted' | 'refused'; explanation: string; actor: Actor }): Promise<ErasureDecidedData>;
  placeHold(input: { caseId: string; holdId: string; reason: string; basis: string; actor: Actor }): Promise<void>;
  liftHold(input: { caseId: string; holdId: string; reason: string; actor: Actor }): Promise<void>;
}

/**
 * Erasure on request and legal holds, as events: a citizen asks (ErasureRequested on `erasure-<id>`, naming the
 * requester by keyed hash), an administrator decides (ErasureDecided); an accepted request shreds each named case
 * that has ended and has no legal hold, and says which were kept and why. Holds are events on the case stream.
 */
export function createPrivacyCommands(deps: { eventStore: SealingEventStore; keys: KeyStore; shredder: Shredder; clock: Clock; timeZone?: string }): PrivacyCommands {
  const { eventStore, keys, clock } = deps;
  const event = (type: string, data: object, actor: Actor, commandId: string, index = 0): NewEvent => ({
    type,
    data: data as Record<string, unknown>,
    metadata: {
      eventId: eventIdFor(commandId, index),
      schemaVersion: 1,
      occurredAt: clock.now().toISOString(),
      correlationId: commandId,
      causationId: null,
      actor,
      commandId,
    },
  });
  // The local day, as the retention rules count days.
  const today = () => localDate(clock.now(), deps.timeZone ?? 'Asia/Shanghai');
  const owns = async (subjectRef: string, caseId: string) => (await keys.scope(caseStream(caseId)))?.subjectRef === subjectRef;

  /** A case append decided on a read of the stream: a concurrent write in between means read and decide again. */
  async function atCurrentRevision(work: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (!isWrongExpectedVersion(error) || attempt >= 5) throw error;
      }
    }
  }

  async function caseFacts(caseId: string) {
    const events = await eventStore.readStream(caseStream(caseId));
    if (events.length === 0) throw new PrivacyCommandError('not-found', `no case ${caseId}`);
    return caseRecordFacts(events);
  }

  return {
    async requestErasure({ subjectId, caseIds, reason, commandId, actor }) {
      const subjectRef = eventStore.subjectRef(subjectId);
      for (const caseId of caseIds) {
        // A case of someone else is refused as if it did not exist.
        if (!(await owns(subjectRef, caseId))) throw new PrivacyCommandError('not-yours', `case ${caseId} is not one of yours`);
      }
      const requestId = eventIdFor(`erasure\u0000${commandId}`, 0);
      const data: ErasureRequestedData = { requestId, subjectRef, caseIds: [...new Set(caseIds)], reason, requestedOn: today() };
      const stream = `${ERASURE_STREAM_PREFIX}${requestId}`;
      try {
        const appended = await eventStore.append(stream, [event(ERASURE_REQUESTED, data, actor, `erasure-request-${requestId}`)], { expectedRevision: 'no_stream' });
        if (appended.replayed !== true) return { requestId, replayed: false };
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw error;
      }
      // The request id comes from the Idempotency-Key, and the store answers a retry by its event id alone: the key
      // sent with other cases or another reason would otherwise be told its request was recorded.
      const first = (await eventStore.readStream(stream)).find((e) => e.type === ERASURE_REQUESTED)?.data as unknown as ErasureRequestedData | undefined;
      const sameCases = first !== undefined && first.subjectRef === subjectRef && JSON.stringify(first.caseIds) === JSON.stringify(data.caseIds);
      // A request whose own key was shredded reads its reason as erased; its cases still tell a retry from another request.
      if (!sameCases || (first.reason !== reason && first.reason !== ERASED)) throw new IdempotencyKeyReusedError('RequestErasure');
      return { requestId, replayed: true };
    },

    async decideErasure({ requestId, decision, explanation, actor }) {
      const stream = `${ERASURE_STREAM_PREFIX}${requestId}`;
      for (let attempt = 1; ; attempt += 1) {
        const events = await eventStore.readStream(stream);
        const requested = events.find((e) => e.type === ERASURE_REQUESTED);
        if (!requested) throw new PrivacyCommandError('not-found', `no erasure request ${requestId}`);
        if (events.some((e) => e.type === ERASURE_DECIDED)) throw new PrivacyCommandError('already-decided', `erasure request ${requestId} is decided already`);
        // Claimed on the request's stream before anything is shredded: an administrator refusing while another accepts
        // would otherwise record "refused" over cases the acceptance had erased. A decision under way (its process
        // stopped, or still running) is finished only as it was started.
        const started = events.findLast((e) => e.type === ERASURE_DECISION_STARTED)?.data as unknown as ErasureDecisionStartedData | undefined;
        if (started && started.decision !== decision) {
          throw new PrivacyCommandError('already-decided', `erasure request ${requestId} is being decided (${started.decision}, by ${started.decidedBy}); only that decision can finish it`);
        }
        let revision = events.at(-1)!.revision;
        if (!started) {
          const claim: ErasureDecisionStartedData = { requestId, decision, decidedBy: actor.id, startedOn: today() };
          try {
            // The decision in the id: two administrators deciding alike store one claim, deciding apart collide.
            await eventStore.append(stream, [event(ERASURE_DECISION_STARTED, claim, actor, `erasure-decision-start-${requestId}-${decision}`)], { expectedRevision: revision });
          } catch (error) {
            if (isWrongExpectedVersion(error) && attempt < 5) continue;
            throw error;
          }
          revision += 1n;
        }
        const request = requested.data as unknown as ErasureRequestedData;
        const decided: ErasureDecidedData = { requestId, decision, explanation, decidedBy: actor.id, decidedOn: today(), erased: [], kept: [] };
        if (decision === 'accepted') {
          for (const caseId of request.caseIds) {
            // Only a case that is not there is "unknown". A read that failed (the database away, a row that does not
            // parse) fails the decision: its claim lets it be finished later, where recording it would keep the
            // case's data for good behind a final answer.
            const facts = await caseFacts(caseId).catch((error: unknown) => {
              if (error instanceof PrivacyCommandError && error.code === 'not-found') return null;
              throw error;
            });
            if (!facts) decided.kept.push({ caseId, why: 'unknown' });
            else if (facts.holds.length > 0) decided.kept.push({ caseId, why: 'legal-hold' });
            else if (facts.closedOn === null) decided.kept.push({ caseId, why: 'open' });
            else {
              const outcome = await deps.shredder.shredCase(caseId, { reason: 'erasure-request', requestId, actor });
              if (outcome.status === 'held') decided.kept.push({ caseId, why: 'legal-hold' });
              else decided.erased.push(caseId);
            }
          }
        }
        // Recorded after the shredding: a crash in between leaves the request being decided, and deciding it again
        // (the same way) finds the shredded cases erased (nothing left to shred), so it is recorded once.
        try {
          await eventStore.append(stream, [event(ERASURE_DECIDED, decided, actor, `erasure-decision-${requestId}`)], { expectedRevision: revision });
        } catch (error) {
          // Another administrator deciding the same way recorded it first: read again, and say it is decided.
          if (isWrongExpectedVersion(error) && attempt < 5) continue;
          throw error;
        }
        return decided;
      }
    },

    async placeHold({ caseId, holdId, reason, basis, actor }) {
      return atCurrentRevision(async () => {
        const events = await eventStore.readStream(caseStream(caseId));
        if (events.length === 0) throw new PrivacyCommandError('not-found', `no case ${caseId}`);
        if (caseRecordFacts(events).holds.includes(holdId)) return;
        const data: LegalHoldData = { holdId, reason, basis, placedBy: actor.id };
        // Appended at the revision read: the case machine refuses a second hold of one id, so two administrators
        // placing it at once must not both append (the loser's retry finds it placed).
        // Numbered by the placings of this hold id before it: a hold lifted and placed again under its id is a new
        // event, where one id for all was answered as a replay of the first and nothing was recorded.
        const placed = events.filter((e) => e.type === LEGAL_HOLD_PLACED && e.data.holdId === holdId).length;
        await eventStore.append(caseStream(caseId), [event(LEGAL_HOLD_PLACED, data, actor, `legal-hold-${caseId}-${holdId}${placed === 0 ? '' : `-${placed + 1}`}`)], { expectedRevision: events.at(-1)!.revision });
      });
    },

    async liftHold({ caseId, holdId, reason, actor }) {
      return atCurrentRevision(async () => {
        const events = await eventStore.readStream(caseStream(caseId));
        if (events.length === 0) throw new PrivacyCommandError('not-found', `no case ${caseId}`);
        if (!events.some((e) => e.type === LEGAL_HOLD_PLACED && e.data.holdId === holdId)) throw new PrivacyCommandError('not-found', `no legal hold ${holdId} on case ${caseId}`);
        if (!caseRecordFacts(events).holds.includes(holdId)) throw new PrivacyCommandError('already-lifted', `legal hold ${holdId} is lifted already`);
        const data: LegalHoldLiftedData = { holdId, reason, liftedBy: actor.id };
        const lifted = events.filter((e) => e.type === LEGAL_HOLD_LIFTED && e.data.holdId === holdId).length;
        await eventStore.append(caseStream(caseId), [event(LEGAL_HOLD_LIFTED, data, actor, `legal-hold-lift-${caseId}-${holdId}${lifted === 0 ? '' : `-${lifted + 1}`}`)], { expectedRevision: events.at(-1)!.revision });
      });
    },
  };
}
