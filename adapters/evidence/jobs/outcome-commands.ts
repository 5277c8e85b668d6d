/** The case commands a job ends in; each carries the job's one outcome command id, so redelivery records nothing new. */
import type { CommandOf } from '../../../domain/case/commands.ts';
import type { Actor } from '../../../domain/events/index.ts';
import type { EvidenceJob } from './evidence-job.ts';
import { outcomeCommandId } from './evidence-job.ts';

export const EVIDENCE_WORKER_ACTOR: Actor = { kind: 'system', id: 'evidence-worker' };

export type UnavailableReason = CommandOf<'RecordEvidenceUnavailable'>['reason'];

export interface FoundEvidence {
  fields: Record<string, unknown>;
  contentHash: string;
  retrievedAt: string;
  trustLevel: 'A' | 'B' | 'C' | 'D';
  qualityIssues: string[];
  conflicts: NonNullable<CommandOf<'RecordEvidence'>['conflicts']>;
  provisional?: boolean;
}

/** What every outcome command of a job shares: one command id per job, so the case records one outcome. */
function outcomeOf(jobId: string, job: EvidenceJob) {
  return {
    commandId: outcomeCommandId(jobId),
    caseId: job.caseId,
    actor: EVIDENCE_WORKER_ACTOR,
    correlationId: jobId,
    materialId: job.materialId,
    dataItem: job.dataItem,
    provider: job.provider,
  };
}

export function recordEvidence(jobId: string, job: EvidenceJob, found: FoundEvidence): CommandOf<'RecordEvidence'> {
  return {
    type: 'RecordEvidence',
    ...outcomeOf(jobId, job),
    fields: found.fields,
    contentHash: found.contentHash,
    retrievedAt: found.retrievedAt,
    trustLevel: found.trustLevel,
    qualityIssues: found.qualityIssues,
    ...(found.conflicts.length ? { conflicts: found.conflicts } : {}),
    ...(found.provisional ? { provisional: true } : {}),
  };
}

export function recordUnavailable(jobId: string, job: EvidenceJob, reason: UnavailableReason, detail: string): CommandOf<'RecordEvidenceUnavailable'> {
  return {
    type: 'RecordEvidenceUnavailable',
    ...outcomeOf(jobId, job),
    reason,
    detail,
  };
}
