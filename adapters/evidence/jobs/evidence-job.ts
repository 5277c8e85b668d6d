/**
 * Evidence jobs: what the workflow's reactor enqueues when a case sends its data out on errands, one job per
 * material. Jobs go to one queue per providing department ('evidence-PSB', ...) so each department gets its own
 * rate limit and concurrency (BullMQ limits per queue); the shared queue 'evidence' is served as well.
 */
import { createHash } from 'node:crypto';
import { PermanentJobError } from '../../../domain/ports/queue.ts';
import type { EvidenceRequest } from '../../../domain/ports/evidence.ts';

export const EVIDENCE_QUEUE = 'evidence';
export const EVIDENCE_JOB_NAME = 'fetch-evidence';

export interface EvidenceJob {
  caseId: string;
  materialId: string;
  dataItem: string;
  /** Department code of the providing department (EvidenceRequested.items[].provider). */
  provider: string;
  fields: string[];
  subject: EvidenceRequest['subject'];
  purpose: EvidenceRequest['purpose'];
  /** Consuming department: the service's lead department. */
  requester: string;
}

/** The queue a department's evidence jobs go to: 'evidence-PSB'. */
export function evidenceQueueFor(department: string): string {
  if (!/^[A-Z][A-Z0-9_]{0,31}$/.test(department)) throw new RangeError(`"${department}" is not a department code`);
  return `${EVIDENCE_QUEUE}-${department}`;
}

/** 'ev-<caseId>-<materialId>': one job per material of a case, so re-adds from a replaying reactor are no-ops. */
export function evidenceJobId(caseId: string, materialId: string): string {
  return `ev-${caseId}-${materialId}`.replace(/:/g, '_');
}

/** Every outcome of a job is recorded under this one command id: the case takes the first and ignores repeats. */
export function outcomeCommandId(jobId: string): string {
  return `${jobId}-r`;
}

function text(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** The payload as an EvidenceJob, or a PermanentJobError saying what is missing: retrying cannot mend it. */
export function parseEvidenceJob(payload: unknown): EvidenceJob {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const subject = p.subject as Record<string, unknown> | undefined;
  const purpose = p.purpose as Record<string, unknown> | undefined;
  const problems: string[] = [];
  for (const key of ['caseId', 'materialId', 'dataItem', 'provider', 'requester']) if (!text(p[key])) problems.push(key);
  if (!Array.isArray(p.fields) || p.fields.length === 0 || !p.fields.every(text)) problems.push('fields');
  if (!subject || (subject.type !== 'person' && subject.type !== 'enterprise') || !text(subject.id)) problems.push('subject');
  if (!purpose || !text(purpose.caseId) || !text(purpose.serviceId) || !text(purpose.legalBasis)) problems.push('purpose');
  if (problems.length) throw new PermanentJobError(`evidence job payload is missing or has a wrong ${problems.join(', ')}`);
  return {
    caseId: p.caseId as string,
    materialId: p.materialId as string,
    dataItem: p.dataItem as string,
    provider: p.provider as string,
    fields: [...(p.fields as string[])],
    subject: { type: subject!.type as 'person' | 'enterprise', id: subject!.id as string },
    purpose: { caseId: purpose!.caseId as string, serviceId: purpose!.serviceId as string, legalBasis: purpose!.legalBasis as string },
    requester: p.requester as string,
  };
}

/**
 * One key per evidence request, however often it is retried or its job re-created: the case and material (which
 * the case asks for once; its outcome is recorded once under the same job id) and the data item. Derived, never
 * random, so a worker killed after the answer arrived asks again under the same key and the gateway serves the
 * answer it already gave. A cross-check asks a second source under a key of its own, so no source could ever answer it
 * with the primary source's kept answer.
 */
export function evidenceRequestKey(job: Pick<EvidenceJob, 'caseId' | 'materialId' | 'dataItem'>, use: 'primary' | 'cross-check' = 'primary'): string {
  const key = `${evidenceJobId(job.caseId, job.materialId)}.${job.dataItem}${use === 'cross-check' ? '.cross-check' : ''}`;
  const safe = key.replace(/[^A-Za-z0-9._:-]/g, '_');
  // Long or unusual ids are hashed rather than cut or folded, so two requests never share a key by accident.
  return safe === key && key.length <= 200 ? key : `h-${createHash('sha256').update(key).digest('base64url')}`;
}

export function requestOf(job: EvidenceJob): EvidenceRequest {
  return { dataItem: job.dataItem, subject: job.subject, fields: job.fields, purpose: job.purpose, requester: job.requester, requestKey: evidenceRequestKey(job) };
}
