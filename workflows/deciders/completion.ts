import type { CaseEvent } from '../../domain/case/events.ts';
import { newCertificateNumber } from '../../domain/certificates/number.ts';
import { gatheringComplete, openFollowUps, type CaseContext } from '../case-context.ts';
import type { DecideEnvironment } from './environment.ts';
import { feeOnApproval, waitsForPayment } from './fees.ts';
import { closableAfter, followUpRequired, unownedMissingNonKey } from './follow-up.ts';

/**
 * Outcome of a certificate for an approved case: number, validity. The number comes from the environment's random
 * bytes (domain/certificates/number.ts says why never from the case id) and lives on in the event; a retried command
 * whose first attempt was stored writes nothing (its event ids are taken), so the number on record is the first one.
 */
export function certificateFor(context: CaseContext, env: DecideEnvironment): CaseEvent {
  const outcome = env.definition.outcome;
  const months = outcome.validityMonths;
  let validUntil: string | null = null;
  if (months !== null) {
    const [y, m, d] = env.today.split('-').map(Number) as [number, number, number];
    // The same day N months on, or that month's last day when it has no such day: Date.UTC(2026, 1, 31) would be
    // 3 March, so a one-month certificate issued on 31 January would stay valid into March.
    const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
    const end = new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay)));
    validUntil = end.toISOString().slice(0, 10);
  }
  return {
    type: 'CertificateIssued',
    data: {
      certificateNo: newCertificateNumber(outcome.certificateType, env.today.slice(0, 4), env.entropy),
      certificateType: outcome.certificateType,
      issuedOn: env.today,
      validUntil,
      holder: context.applicant ?? { type: env.definition.applicantType, id: '' },
    },
  };
}

/**
 * Why the rule may not decide on what it would read: a conflict between sources, a quality issue, a provisional
 * record, evidence the provider could not supply, or evidence the applicant uploaded instead of the authoritative
 * source. Data-governance flags on any material a condition reads make the case a clerk's decision. `quoteIssues:
 * false` names a quality issue's field only (an issue may quote what the source returned).
 */
export function doubtsAbout(context: CaseContext, materialIds: readonly string[], options: { quoteIssues?: boolean } = {}): string[] {
  const doubts: string[] = [];
  for (const id of new Set(materialIds)) {
    const m = context.materials[id];
    if (!m) continue;
    if (m.conflicted) doubts.push(`${id}: sources disagree on ${(m.conflictFields ?? []).join(', ') || 'some fields'}`);
    for (const issue of m.qualityIssues ?? []) doubts.push(options.quoteIssues === false ? `${id}: quality issue on ${issue.split(' ')[0]}` : `${id}: quality issue: ${issue}`);
    if (m.provisional) doubts.push(`${id}: the record is provisional at its source`);
    if (m.status === 'upload_required') doubts.push(`${id}: not available from its source (${m.unavailableReason ?? 'unavailable'})`);
    else if (m.kind === 'evidence' && m.status === 'uploaded') doubts.push(`${id}: uploaded by the applicant instead of fetched from the authoritative source`);
  }
  return doubts;
}

/**
 * After any material settles: when every material is in, evidence gathering completes; a service with an
 * instant-approval rule is then approved and certified with no human step (秒批) if the rule holds on data no one
 * doubts, and closed unless a non-key material is still owed. Otherwise the case waits in review with the reasons.
 */
export function afterMaterialSettled(context: CaseContext, env: DecideEnvironment): CaseEvent[] {
  if (!gatheringComplete(context)) return [];
  const events: CaseEvent[] = [{ type: 'EvidenceGatheringCompleted', data: { completedOn: env.today } }];
  const rule = env.definition.instantApproval;
  if (!rule || env.definition.coReviewers.length > 0) return events;
  const doubts = doubtsAbout(context, rule.conditions.map((c) => c.material));
  if (doubts.length) {
    events.push({ type: 'InstantApprovalWithheld', data: { kind: 'doubtful_data', reasons: doubts, withheldOn: env.today } });
    return events;
  }
  const verdict = env.evaluateConditions(rule.conditions, context.evidence, env.today);
  if (!verdict.passed) {
    events.push({ type: 'InstantApprovalWithheld', data: { kind: 'conditions_not_met', reasons: verdict.failures, withheldOn: env.today } });
    return events;
  }
  const owed = unownedMissingNonKey(context);
  events.push(
    { type: 'CaseApproved', data: { decidedOn: env.today, by: 'rule', reasons: ['all instant-approval conditions hold'] } },
    ...followUpRequired(owed, env),
  );
  // 收费: a fee due before the certificate holds it until the provider confirms payment (payFee issues it then).
  const fee = feeOnApproval(context, env);
  events.push(...fee);
  if (waitsForPayment(fee)) return events;
  events.push(certificateFor(context, env));
  if (closableAfter(context, env, [...openFollowUps(context), ...owed])) events.push({ type: 'CaseClosed', data: { closedOn: env.today } });
  return events;
}
