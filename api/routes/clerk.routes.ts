import type { Engine } from '../../runtime/engine.ts';
import type { JsonSchema } from '../openapi/index.ts';
import { caseCommandRoute } from './command-route.ts';

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const reasons = { type: 'array', items: text(500), minItems: 1, maxItems: 20 };
/** The materials a clerk asks the applicant for, each with an optional note: a supplement, or a revision after a veto. */
const materialsAsked = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'object', required: ['materialId'], additionalProperties: false, properties: { materialId: text(80), note: { type: 'string', maxLength: 500, default: '' } } },
    },
  },
};

/** Clerk actions; the domain checks department and duty (intake, reviewer, approver) for each. */
export function clerkRoutes(engine: Engine) {
  const clerk = ['clerk'] as const;
  const route = (action: string, command: Parameters<typeof caseCommandRoute>[1]['command'], summary: string, body?: JsonSchema) =>
    caseCommandRoute(engine, { action, command, summary, auth: [...clerk], tag: 'clerk', body });
  return [
    route('claim', 'ClaimCase', 'Take your department\'s part of the case (any clerk of a department on the case; one holder at a time)'),
    route('release', 'ReleaseCase', 'Let go of your department\'s part; an approver (supervisor) may release another clerk\'s hold'),
    route('assignment', 'AssignCase', 'Give your department\'s part to a clerk of your department (approver role: the supervisor)', {
      type: 'object',
      required: ['assignee'],
      properties: { assignee: text(80) },
    }),
    route('accept', 'AcceptCase', 'Accept the application: starts the statutory clock and fetches evidence'),
    route('not-accept', 'NotAcceptCase', 'Do not accept, with a written reason', { type: 'object', required: ['reason'], properties: { reason: text(1000) } }),
    route('supplement-request', 'RequestSupplement', 'Ask once for every missing material', materialsAsked),
    route('joint-review', 'StartJointReview', 'Start joint review (并联审批) with the co-reviewing departments'),
    route('opinion', 'GiveOpinion', 'Give a co-reviewing department\'s opinion; "deny" from a department whose consent is required by law is a veto', {
      type: 'object',
      required: ['opinion'],
      properties: { opinion: { enum: ['approve', 'deny'] }, comment: { type: 'string', maxLength: 2000, default: '' } },
    }),
    route('revision-request', 'RequestRevision', 'After a veto (a co-reviewer whose consent is required by law said deny): ask the applicant for materials, then the vetoing departments revise their opinion', materialsAsked),
    route('approve', 'ApproveCase', 'Approve', { type: 'object', properties: { reasons: { type: 'array', items: text(500), maxItems: 20 } } }),
    route('deny', 'DenyCase', 'Deny, with reasons', { type: 'object', required: ['reasons'], properties: { reasons } }),
    route('extend', 'ExtendDeadline', 'Extend the time limit, with the reason told to the applicant', {
      type: 'object',
      required: ['days', 'reason'],
      properties: { days: { type: 'integer', minimum: 1, maximum: 60 }, reason: text(1000) },
    }),
    route('suspend', 'SuspendCase', 'Suspend for a hearing, testing, inspection or expert review (not counted in the limit)', {
      type: 'object',
      required: ['kind', 'reason'],
      properties: { kind: { enum: ['hearing', 'testing', 'inspection', 'expert_review'] }, reason: text(1000) },
    }),
    route('resume', 'ResumeCase', 'Resume after a suspension; due dates move by the days spent'),
    route('certificate', 'IssueCertificate', 'Issue the certificate of an approved case'),
    route('commitment-verification', 'VerifyCommitment', 'Confirm that the commitment (告知承诺) held up'),
    route('revocation', 'RevokeApproval', 'Revoke an approval made on a false commitment', { type: 'object', required: ['reason'], properties: { reason: text(1000) } }),
  ];
}
