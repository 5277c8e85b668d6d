import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { NewEvent, RecordedEvent } from '../../domain/events/index.ts';
import { WrongExpectedVersionError } from '../../domain/events/index.ts';
import type { CaseEventLog } from '../../workflows/index.ts';
import { INSTANT, SYSTEM } from './case-fixtures.ts';

const label = (en: string) => ({ 'zh-CN': en, en });

/** Three items from three departments, decided by rule: what the 秒批 bench applies for. */
export const THREE_ITEMS: ServiceDefinition = {
  ...INSTANT,
  id: 'test-housing-eligibility',
  materials: [
    { id: 'household', kind: 'evidence', name: label('Household'), key: true, dataItem: 'household-registration', fields: ['citizenId'] },
    { id: 'insurance', kind: 'evidence', name: label('Insurance'), key: true, dataItem: 'social-insurance', fields: ['insuredStatus'] },
    { id: 'property', kind: 'evidence', name: label('Property'), key: true, dataItem: 'property-ownership', fields: ['propertiesOwned'] },
  ],
  instantApproval: { conditions: [{ material: 'insurance', field: 'insuredStatus', op: 'eq', value: 'active' }] },
};

/** The evidence worker's command for one fetched item (the same command id on every delivery of that outcome). */
export const evidenceOutcome = (caseId: string, materialId: string, dataItem: string, provider: string, fields: Record<string, unknown>): CaseCommand => ({
  type: 'RecordEvidence', commandId: `ev-${caseId}-${materialId}-r`, caseId, actor: SYSTEM,
  materialId, dataItem, provider, fields, contentHash: 'h', retrievedAt: '2026-03-02T02:00:00Z', trustLevel: 'A',
});

/**
 * An in-memory case log that behaves like the SQL stores where the command handler can tell: an append at the wrong
 * revision is refused (and counted), and one whose event ids are all stored already is answered as a replay. `slow`:
 * every read and append takes a turn of the event loop, so commands handled at once really interleave.
 */
export function memoryCaseLog(options: { slow?: boolean } = {}): CaseEventLog & { all: RecordedEvent[]; refused: number } {
  const tick = () => (options.slow ? new Promise((resolve) => setImmediate(resolve)) : Promise.resolve());
  const log = {
    all: [] as RecordedEvent[],
    refused: 0,
    async readStream(stream: string, read?: { fromRevision?: bigint }) {
      await tick();
      return log.all.filter((e) => e.streamId === stream && e.revision >= (read?.fromRevision ?? 0n));
    },
    async append(stream: string, events: NewEvent[], append: { expectedRevision: 'no_stream' | bigint }) {
      await tick();
      const stored = log.all.filter((e) => events.some((n) => n.metadata.eventId === e.metadata.eventId));
      if (stored.length === events.length) {
        const last = stored.at(-1)!;
        return { nextRevision: last.revision, position: last.position, replayed: true };
      }
      const head = BigInt(log.all.filter((e) => e.streamId === stream).length) - 1n;
      const expected = append.expectedRevision === 'no_stream' ? -1n : append.expectedRevision;
      if (expected !== head) {
        log.refused += 1;
        throw new WrongExpectedVersionError(stream, expected.toString(), head);
      }
      for (const [i, event] of events.entries()) {
        const position = BigInt(log.all.length);
        log.all.push({ ...event, streamId: stream, revision: head + 1n + BigInt(i), position, checkpoint: { commit: 0n, prepare: position } });
      }
      return { nextRevision: head + BigInt(events.length), position: BigInt(log.all.length - 1) };
    },
  };
  return log;
}
