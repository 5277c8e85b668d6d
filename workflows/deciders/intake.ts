import type { CommandOf } from '../../domain/case/commands.ts';
import { InvalidCommandError } from '../../domain/case/errors.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import { isSettled } from '../case-context.ts';
import type { CaseState } from '../case-state.ts';
import type { DecideEnvironment } from './environment.ts';
import { feeOnApproval } from './fees.ts';
import { followUpRequired, unownedMissingNonKey } from './follow-up.ts';
import { decisionDueOn, intakeDueOn, supplementDueOn } from './time-limits.ts';

function missingKeyUploads(state: CaseState): string[] {
  return Object.values(state.context.materials)
    .filter((m) => m.kind === 'upload' && m.key && !isSettled(m))
    .map((m) => m.id);
}

/**
 * The number an acceptance notice carries: the day and 48 bits of the case id (12 hex digits, as a certificate number
 * has). 32 bits, as before, made two cases accepted on one busy day share a number about once in a hundred days at
 * ten thousand acceptances a day; 48 bits make that once in tens of thousands of years. Numbers already given stay
 * as they were recorded.
 */
export function receiptNumber(acceptedOn: string, caseId: string): string {
  return `R-${acceptedOn.replace(/-/g, '')}-${caseId.replace(/-/g, '').slice(0, 12).toUpperCase()}`;
}

/** Acceptance starts the statutory clock and, in the same append, sends the data out on its errands. */
function acceptance(state: CaseState, env: DecideEnvironment, deemed: boolean): CaseEvent[] {
  // Art. 32: an application nobody answered in time counts as accepted from the day it was received, so its
  // statutory and promised limits run from then, not from the day the platform noticed the intake limit had passed.
  const acceptedOn = deemed ? (state.context.receivedOn ?? state.context.submittedOn ?? env.today) : env.today;
  const missingNonKey = Object.values(state.context.materials)
    .filter((m) => m.kind === 'upload' && !m.key && !isSettled(m))
    .map((m) => m.id);
  const events: CaseEvent[] = [
    {
      type: 'CaseAccepted',
      data: {
        acceptedOn,
        receiptNo: receiptNumber(acceptedOn, state.context.caseId),
        deemed,
        missingNonKey,
        due: decisionDueOn(env, acceptedOn, 0),
      },
    },
  ];
  const toFetch = Object.values(state.context.materials).filter((m) => m.status === 'to_fetch');
  if (toFetch.length) {
    events.push({
      type: 'EvidenceRequested',
      data: {
        items: toFetch.map((m) => {
          const material = env.definition.materials.find((d) => d.id === m.id);
          if (material?.kind !== 'evidence') throw new Error(`material ${m.id} is not evidence`);
          return {
            materialId: m.id,
            dataItem: material.dataItem,
            provider: env.dataItem(material.dataItem)?.provider ?? 'unknown',
            fields: material.fields,
          };
        }),
      },
    });
  }
  events.push(...followUpRequired(unownedMissingNonKey(state.context), env));
  if (!deemed && state.context.commitment && env.definition.commitment) {
    events.push({ type: 'CaseApproved', data: { decidedOn: env.today, by: 'commitment', reasons: ['approved on the applicant\'s written commitment (告知承诺); verification follows'] } });
    events.push(...feeOnApproval(state.context, env));
  }
  return events;
}

/**
 * Art. 32: an application not answered within the intake limit counts as accepted from the day it was received. The
 * law decided on the day after the limit, whether or not the intake timer has run yet (it fires late when a worker
 * was down), so from that day intake is no longer a clerk's to decide: an acceptance would date the case, and every
 * limit running from it, later than the law does; a refusal or a supplement notice would undo an acceptance the law
 * already made. So the clerk's decision is refused, as a supplement answered too late is, and the deemed acceptance
 * is left to the intake timer (DeemAccepted), which dates it from `receivedOn` and records it once, whenever it fires.
 * The same test as the timer's, so there is no day on which both or neither may act.
 */
function intakeLimitPassed(state: CaseState, env: DecideEnvironment): boolean {
  const due = state.context.intakeDueOn;
  return state.status === 'submitted' && due !== null && env.today > due;
}

function withinIntakeLimit(command: { type: string }, state: CaseState, env: DecideEnvironment): void {
  if (!intakeLimitPassed(state, env)) return;
  const receivedOn = state.context.receivedOn ?? state.context.submittedOn;
  throw new InvalidCommandError(command.type, [
    `the intake limit ended on ${state.context.intakeDueOn}: the application counts as accepted from ${receivedOn} (Administrative Licensing Law art. 32), and the platform records that acceptance`,
  ]);
}

export function acceptCase(command: CommandOf<'AcceptCase'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  withinIntakeLimit(command, state, env);
  const missing = missingKeyUploads(state);
  if (missing.length) {
    throw new InvalidCommandError(command.type, [`key materials missing: ${missing.join(', ')}; request a supplement listing them instead`]);
  }
  return acceptance(state, env, false);
}

/**
 * 秒批 has no human step, intake included: a service with instant-approval rules is accepted by the platform as soon
 * as it is submitted, when every key upload is in. Otherwise the case waits for a clerk (who can ask to supplement).
 */
export function acceptOnSubmission(_command: CommandOf<'AcceptOnSubmission'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  if (!env.definition.instantApproval || state.status !== 'submitted' || missingKeyUploads(state).length) return [];
  // Its timer run only after the intake limit (workers down for days): the law accepted it from receipt already.
  return acceptance(state, env, intakeLimitPassed(state, env));
}

export function deemAccepted(command: CommandOf<'DeemAccepted'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  if (!intakeLimitPassed(state, env)) return [];
  void command;
  return acceptance(state, env, true);
}

export function notAcceptCase(command: CommandOf<'NotAcceptCase'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  withinIntakeLimit(command, state, env);
  if (!command.reason.trim()) throw new InvalidCommandError(command.type, ['a written reason is required (Administrative Licensing Law art. 32)']);
  return [{ type: 'CaseNotAccepted', data: { reason: command.reason.trim(), decidedOn: env.today } }];
}

export function requestSupplement(command: CommandOf<'RequestSupplement'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  withinIntakeLimit(command, state, env);
  const problems: string[] = [];
  if (!command.items.length) problems.push('list every missing material in one notice; the list is empty');
  const seen = new Set<string>();
  for (const item of command.items) {
    const material = state.context.materials[item.materialId];
    if (!material) problems.push(`material "${item.materialId}" is not part of this service`);
    else if (isSettled(material)) problems.push(`material "${item.materialId}" is already provided`);
    // The applicant could not comply: the upload of a fetched item is refused unless the platform asks for it.
    else if (material.kind === 'evidence' && material.status !== 'upload_required') problems.push(`material "${item.materialId}" is fetched by the platform from its department; it cannot be asked of the applicant`);
    if (seen.has(item.materialId)) problems.push(`material "${item.materialId}" is listed twice`);
    seen.add(item.materialId);
  }
  if (problems.length) throw new InvalidCommandError(command.type, problems);
  return [
    {
      type: 'SupplementRequested',
      data: {
        items: command.items,
        requestedOn: env.today,
        dueOn: supplementDueOn(env, env.today),
      },
    },
  ];
}

export function provideSupplement(command: CommandOf<'ProvideSupplement'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const missing = state.context.supplement.items.filter((id) => {
    const material = state.context.materials[id];
    return !material || !isSettled(material);
  });
  if (missing.length) throw new InvalidCommandError(command.type, [`still missing: ${missing.join(', ')}; upload them first`]);
  const due = state.context.supplement.dueOn;
  if (due !== null && env.today > due) {
    throw new InvalidCommandError(command.type, [`the supplement period ended on ${due}; the application is not accepted (a notice follows)`]);
  }
  return [
    {
      type: 'SupplementProvided',
      // Art. 32: the application counts as received on the day the supplement arrives; intake has 5 working days again.
      data: { materialIds: state.context.supplement.items, providedOn: env.today, intakeDueOn: intakeDueOn(env, env.today) },
    },
  ];
}

export function expireSupplement(_command: CommandOf<'ExpireSupplement'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const due = state.context.supplement.dueOn;
  if (state.status !== 'awaitingSupplement' || due === null || env.today <= due) return [];
  return [{ type: 'CaseNotAccepted', data: { reason: `supplement not provided by ${due}`, decidedOn: env.today } }];
}
