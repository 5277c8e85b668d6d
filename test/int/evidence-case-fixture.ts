/**
 * Real cases for the evidence worker suites: the workflow's command handler over the PostgreSQL event store, the
 * shipped public-rental-housing service, and cases opened and accepted so their evidence is being fetched. The
 * evidence jobs come from the workflow's own desiredJobs, exactly as its reactor derives them.
 */
import type { CaseCommand } from '../../domain/case/commands.ts';
import { caseStream } from '../../domain/case/events.ts';
import type { RecordedEvent } from '../../domain/events/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import type { EvidenceJob } from '../../adapters/evidence/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { loadCalendar, loadServiceCatalogue } from '../../adapters/files/index.ts';
import { createEnvironmentFactory } from '../../runtime/decide-environment.ts';
import { createCommandHandler, desiredJobs, type CommandHandler } from '../../workflows/index.ts';
import { shippedCatalogue } from '../contract/evidence-fixtures.ts';

export const SERVICE = 'public-rental-housing';
const TIME_ZONE = 'Asia/Shanghai';

export interface CaseWorld {
  events: EventStore;
  handler: CommandHandler;
  /** Opens, submits and accepts a case for the applicant; returns the evidence jobs its acceptance asks for. */
  openCase(caseId: string, applicantId: string): Promise<EvidenceJob[]>;
  /** Outcome events of the case by material: how many times each was recorded, and what. */
  outcomes(caseId: string): Promise<Record<string, Array<{ type: string; data: Record<string, unknown> }>>>;
  /** Is the material still being fetched? (the worker's `wanted`) */
  wanted(caseId: string, materialId: string): Promise<boolean>;
  close(): Promise<void>;
}

export async function openCaseWorld(databaseUrl: string): Promise<CaseWorld> {
  const dataCatalogue = shippedCatalogue();
  const services = loadServiceCatalogue(dataCatalogue);
  const calendar = loadCalendar('CN');
  const events = await createPostgresEventStore({ connectionString: databaseUrl });
  const handler = createCommandHandler({
    events,
    services,
    clock: systemClock,
    environment: createEnvironmentFactory({ calendar: () => calendar, dataCatalogue, timeZone: TIME_ZONE }),
  });
  const clerk = { kind: 'clerk' as const, id: 'clerk-1', department: 'HOUSING', roles: ['intake', 'reviewer', 'approver'] };

  return {
    events,
    handler,
    async openCase(caseId, applicantId) {
      const citizen = { kind: 'citizen' as const, id: applicantId };
      const commands: CaseCommand[] = [
        { type: 'DraftApplication', commandId: `${caseId}-draft`, caseId, actor: citizen, serviceId: SERVICE, form: { householdSize: 2, monthlyIncome: 4200, currentAddress: '深圳市南山区' } },
        { type: 'SubmitApplication', commandId: `${caseId}-submit`, caseId, actor: citizen },
        { type: 'AcceptCase', commandId: `${caseId}-accept`, caseId, actor: clerk } as CaseCommand,
      ];
      for (const command of commands) await handler.handle(command);
      const state = await handler.load(caseId);
      return desiredJobs(state, calendar, TIME_ZONE).flatMap((job) => (job.kind === 'evidence' ? [job.payload] : []));
    },
    async outcomes(caseId) {
      const stored: RecordedEvent[] = await events.readStream(caseStream(caseId));
      const byMaterial: Record<string, Array<{ type: string; data: Record<string, unknown> }>> = {};
      for (const event of stored) {
        if (!['EvidenceReceived', 'EvidenceUnavailable', 'EvidenceConflictFlagged'].includes(event.type)) continue;
        const materialId = String(event.data.materialId);
        (byMaterial[materialId] ??= []).push({ type: event.type, data: event.data });
      }
      return byMaterial;
    },
    async wanted(caseId, materialId) {
      return (await handler.load(caseId)).context.materials[materialId]?.status === 'fetching';
    },
    close: () => events.close(),
  };
}
