import type { CaseEvent } from '../../domain/case/events.ts';
import { gatheringComplete, type CaseContext } from '../case-context.ts';
import type { DecideEnvironment } from './environment.ts';

/** Outcome of a certificate for an approved case: number, validity. Deterministic so a retried command matches. */
export function certificateFor(context: CaseContext, env: DecideEnvironment): CaseEvent {
  const outcome = env.definition.outcome;
  const months = outcome.validityMonths;
  let validUntil: string | null = null;
  if (months !== null) {
    const [y, m, d] = env.today.split('-').map(Number) as [number, number, number];
    const end = new Date(Date.UTC(y, m - 1 + months, d));
    validUntil = end.toISOString().slice(0, 10);
  }
  return {
    type: 'CertificateIssued',
    data: {
      certificateNo: `${outcome.certificateType.toUpperCase()}-${env.today.slice(0, 4)}-${context.caseId.replace(/-/g, '').slice(0, 12).toUpperCase()}`,
      certificateType: outcome.certificateType,
      issuedOn: env.today,
      validUntil,
      holder: context.applicant ?? { type: env.definition.applicantType, id: '' },
    },
  };
}

/**
 * After any material settles: when every material is in, evidence gathering completes; a service with an
 * instant-approval rule is then approved, certified and closed with no human step (秒批) if the rule holds.
 */
export function afterMaterialSettled(context: CaseContext, env: DecideEnvironment): CaseEvent[] {
  if (!gatheringComplete(context)) return [];
  const events: CaseEvent[] = [{ type: 'EvidenceGatheringCompleted', data: { completedOn: env.today } }];
  const rule = env.definition.instantApproval;
  if (rule && env.definition.coReviewers.length === 0) {
    const verdict = env.evaluateConditions(rule.conditions, context.evidence, env.today);
    if (verdict.passed) {
      events.push(
        { type: 'CaseApproved', data: { decidedOn: env.today, by: 'rule', reasons: ['all instant-approval conditions hold'] } },
        certificateFor(context, env),
        { type: 'CaseClosed', data: { closedOn: env.today } },
      );
    }
  }
  return events;
}
