import type { CommandOf } from '../../domain/case/commands.ts';
import { InvalidCommandError } from '../../domain/case/errors.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import type { CaseState } from '../case-state.ts';
import type { DecideEnvironment } from './environment.ts';
import { followUpMetBy } from './follow-up.ts';
import { intakeDueOn } from './time-limits.ts';
import { representationProblems } from '../../domain/agents/representation.ts';
import { complaintAfterRating } from './appeals.ts';
import { isReconsiderationService } from '../../domain/appeals/reconsideration.ts';
import { acceptedMediaTypes } from '../../domain/catalogue/index.ts';

export function draftApplication(command: CommandOf<'DraftApplication'>, _state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const check = env.validateForm(command.form);
  const problems = [...check.problems];
  const onBehalfOf = command.onBehalfOf;
  // The applicant is the subject: the agent's own identity code is a citizen ID, the subject's fits the service.
  const idProblem = env.validateApplicantId(onBehalfOf ? onBehalfOf.id : command.actor.id);
  if (idProblem) problems.push(`${onBehalfOf ? 'onBehalfOf.id' : 'applicant'}: ${idProblem}`);
  if (onBehalfOf && !idProblem) {
    problems.push(...representationProblems(command.actor.id, onBehalfOf, command.representation, { serviceId: env.definition.id, applicantType: env.definition.applicantType, today: env.today }));
  }
  // A reconsideration case is opened only from the case it reconsiders (which checks the 60 days and holds its records).
  if (isReconsiderationService(env.definition.id) && (!command.reconsiderationOf || command.reconsiderationOf !== command.form.originalCaseId)) {
    problems.push(`service ${env.definition.id} is asked for from the case reconsidered: POST /cases/{id}/reconsideration`);
  }
  if (problems.length) throw new InvalidCommandError(command.type, problems, check.issues);
  return [
    {
      type: 'ApplicationDrafted',
      data: {
        caseId: command.caseId,
        serviceId: env.definition.id,
        serviceVersion: env.definition.version,
        applicant: { type: env.definition.applicantType, id: onBehalfOf ? onBehalfOf.id : command.actor.id },
        form: command.form,
        bundleId: command.bundleId ?? null,
        ...(onBehalfOf ? { agent: { id: command.actor.id, basis: onBehalfOf.basis, ...(onBehalfOf.authorisationId ? { authorisationId: onBehalfOf.authorisationId } : {}) } } : {}),
      },
    },
  ];
}

export function updateDraft(command: CommandOf<'UpdateDraft'>, _state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const check = env.validateForm(command.form);
  if (check.problems.length) throw new InvalidCommandError(command.type, check.problems, check.issues);
  return [{ type: 'DraftUpdated', data: { form: command.form } }];
}

export function uploadMaterial(command: CommandOf<'UploadMaterial'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const material = env.definition.materials.find((m) => m.id === command.materialId);
  const problems: string[] = [];
  if (!material) {
    problems.push(`material "${command.materialId}" is not part of service ${env.definition.id}; known: ${env.definition.materials.map((m) => m.id).join(', ')}`);
  } else {
    const accepted = acceptedMediaTypes(material);
    if (!accepted.includes(command.mediaType)) problems.push(`material "${material.id}" accepts ${accepted.join(', ')}, not ${command.mediaType}`);
    if (material.kind === 'upload') {
      if (command.size > material.maxBytes) problems.push(`material "${material.id}" may be at most ${material.maxBytes} bytes, got ${command.size}`);
    } else if (state.context.materials[material.id]?.status !== 'upload_required' && state.status !== 'draft') {
      problems.push(`material "${material.id}" is fetched from ${material.dataItem}; upload it only when the platform asks for it`);
    }
  }
  if (!/^[a-f0-9]{64}$/.test(command.sha256)) problems.push('sha256 must be 64 lowercase hex characters');
  if (problems.length) throw new InvalidCommandError(command.type, problems);
  const { materialId, fileName, mediaType, size, sha256 } = command;
  return [{ type: 'MaterialUploaded', data: { materialId, fileName, mediaType, size, sha256 } }, ...followUpMetBy(materialId, state, env)];
}

export function submitApplication(command: CommandOf<'SubmitApplication'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const explicitRequests = command.explicitRequests ?? [];
  const problems: string[] = [];
  for (const id of explicitRequests) {
    if (!state.context.materials[id]?.explicitRequest) problems.push(`material "${id}" does not take an explicit fetch request`);
  }
  if (command.commitment && !env.definition.commitment) {
    problems.push(`service ${env.definition.id} does not offer approval on commitment (告知承诺)`);
  }
  if (problems.length) throw new InvalidCommandError(command.type, problems);
  return [
    {
      type: 'ApplicationSubmitted',
      data: {
        submittedOn: env.today,
        explicitRequests,
        commitment: command.commitment ?? false,
        intakeDueOn: intakeDueOn(env, env.today),
      },
    },
  ];
}

export function withdrawApplication(command: CommandOf<'WithdrawApplication'>, _state: CaseState, env: DecideEnvironment): CaseEvent[] {
  return [{ type: 'CaseWithdrawn', data: { reason: command.reason ?? '', withdrawnOn: env.today } }];
}

export function rateCase(command: CommandOf<'RateCase'>, _state: CaseState, _env: DecideEnvironment): CaseEvent[] {
  if (!Number.isInteger(command.score) || command.score < 1 || command.score > 5) {
    throw new InvalidCommandError(command.type, [`score must be a whole number from 1 to 5, got ${command.score}`]);
  }
  return [{ type: 'CaseRated', data: { score: command.score as 1 | 2 | 3 | 4 | 5, comment: command.comment ?? '' } }, ...complaintAfterRating(command.score, _env)];
}
