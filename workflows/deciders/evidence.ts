import type { CommandOf } from '../../domain/case/commands.ts';
import { InvalidCommandError } from '../../domain/case/errors.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import type { CaseState } from '../case-state.ts';
import type { DecideEnvironment } from './environment.ts';
import { followUpRequired } from './follow-up.ts';

/**
 * Evidence outcomes come from jobs delivered at least once. An outcome for a material that is no longer being
 * fetched is a redelivery or arrived after the case moved on: it records nothing rather than failing the job.
 */
function stillFetching(state: CaseState, materialId: string): boolean {
  return state.context.materials[materialId]?.status === 'fetching';
}

export function recordEvidence(command: CommandOf<'RecordEvidence'>, state: CaseState, _env: DecideEnvironment): CaseEvent[] {
  if (!stillFetching(state, command.materialId)) return [];
  const events: CaseEvent[] = [
    {
      type: 'EvidenceReceived',
      data: {
        materialId: command.materialId,
        dataItem: command.dataItem,
        provider: command.provider,
        fields: command.fields,
        contentHash: command.contentHash,
        retrievedAt: command.retrievedAt,
        trustLevel: command.trustLevel,
        qualityIssues: command.qualityIssues ?? [],
        ...(command.provisional ? { provisional: true } : {}),
      },
    },
  ];
  if (command.conflicts?.length) {
    events.push({ type: 'EvidenceConflictFlagged', data: { materialId: command.materialId, conflicts: command.conflicts } });
  }
  return events;
}

export function recordEvidenceUnavailable(
  command: CommandOf<'RecordEvidenceUnavailable'>,
  state: CaseState,
  env: DecideEnvironment,
): CaseEvent[] {
  if (!stillFetching(state, command.materialId)) return [];
  const { materialId, dataItem, provider, reason, detail } = command;
  const events: CaseEvent[] = [{ type: 'EvidenceUnavailable', data: { materialId, dataItem, provider, reason, detail } }];
  // A non-key item the department could not deliver is owed by the applicant from now (容缺), not only once a clerk
  // approves: otherwise a case parked in review owes nothing on record and nobody tells the applicant to upload it.
  // While the case is suspended the applicant cannot upload anything, so a due date running from today would run
  // out for something they could not do: it is owed from the resumption instead (resumeCase).
  const material = state.context.materials[materialId];
  if (material && !material.key && state.context.followUps[materialId] === undefined && state.status !== 'suspended') {
    events.push(...followUpRequired([materialId], env));
  }
  return events;
}

function awaitingPreview(command: { type: string; materialId: string }, state: CaseState): void {
  if (state.context.materials[command.materialId]?.status !== 'awaiting_preview') {
    throw new InvalidCommandError(command.type, [`material "${command.materialId}" has no fetched evidence waiting for your preview`]);
  }
}

export function confirmEvidencePreview(command: CommandOf<'ConfirmEvidencePreview'>, state: CaseState, _env: DecideEnvironment): CaseEvent[] {
  awaitingPreview(command, state);
  return [{ type: 'EvidencePreviewConfirmed', data: { materialId: command.materialId } }];
}

export function refuseEvidencePreview(command: CommandOf<'RefuseEvidencePreview'>, state: CaseState, _env: DecideEnvironment): CaseEvent[] {
  awaitingPreview(command, state);
  return [{ type: 'EvidencePreviewRefused', data: { materialId: command.materialId } }];
}
