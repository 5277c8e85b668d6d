import { expect } from 'chai';
import fc from 'fast-check';
import { loadCalendar, loadDataCatalogue, loadServiceCatalogue } from '../../adapters/files/index.ts';
import { isReconsiderationService } from '../../domain/appeals/reconsideration.ts';
import { createCalendar, plusCalendarDays, type Calendar } from '../../domain/calendar/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import { DomainError } from '../../domain/case/errors.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import { acceptedMediaTypes, type Condition, type ServiceDefinition } from '../../domain/catalogue/index.ts';
import { createEnvironmentFactory } from '../../runtime/decide-environment.ts';
import { allowedCommands, decide, desiredJobs, emptyCase, feeOwed, type CaseState, type DecideEnvironment } from '../../workflows/index.ts';
import { APPLICANT, ENTERPRISE, SYSTEM, citizen, clerk, noonOn, type CommandInput } from '../support/case-fixtures.ts';

/**
 * The worker asks every case it schedules whether the calendars loaded would move one of its limits, and records a
 * recomputation when they would (calendarRefresh.recheck). So whatever the deciders set, in any flow, must be what
 * RecalculateDeadlines computes from the same calendar: otherwise the worker rewrites a case's dates on its own.
 */

/** The bundled calendar (the 2026 arrangement) and the one before its file arrived: 2026 by the statutory rule alone. */
const BUNDLED = loadCalendar('CN');
const BEFORE_THE_FILE = createCalendar('CN', [], { version: 'CN:statutory-only' });
const dataCatalogue = loadDataCatalogue();
const environments = new Map<Calendar, ReturnType<typeof createEnvironmentFactory>>(
  [BUNDLED, BEFORE_THE_FILE].map((calendar) => [calendar, createEnvironmentFactory({ calendar: () => calendar, dataCatalogue, timeZone: 'Asia/Shanghai' })]),
);
// One environment a day (its random bytes shared: only certificate numbers read them), not one a command.
const environmentsMade = new Map<string, DecideEnvironment>();
function environment(calendar: Calendar, definition: ServiceDefinition, on: string): DecideEnvironment {
  const key = `${calendar.version} ${definition.id} ${on}`;
  let made = environmentsMade.get(key);
  if (!made) environmentsMade.set(key, (made = environments.get(calendar)!(definition, noonOn(on))));
  return made;
}

const catalogue = loadServiceCatalogue();
const service = (id: string): ServiceDefinition => {
  const found = catalogue.latest(id);
  if (!found) throw new Error(`the demo catalogue has no service ${id}`);
  return found;
};
/** A service of the catalogue counted in calendar days instead, as a department may publish it. */
const inCalendarDays = (definition: ServiceDefinition): ServiceDefinition => ({ ...definition, id: `${definition.id}-calendar-days`, limits: { ...definition.limits, dayKind: 'calendar' } });
/**
 * Every service of the demo catalogue: the reconsideration services count in calendar days (60 and 20, moved off a
 * day off, art. 85) and have no materials, so they reach intake, suspension and extension; the others count in
 * working days, with 容缺 on non-key uploads and evidence, explicit fetch requests and previews, joint review with an
 * advisory co-reviewer and vetoes sent back for revision, 告知承诺 and 秒批. Two of them counted in calendar days take
 * the supplement, 容缺 and revision paths under that count too.
 */
const SERVICES: ServiceDefinition[] = [...catalogue.list(), inCalendarDays(service('restaurant-opening')), inCalendarDays(service('newborn-household-registration'))];

/**
 * Days to start on: before New Year's Day, Spring Festival (Feb 15-23 2026) and National Day (Oct 1-7), and into
 * 2027 and 2028, which have no file (the statutory days only, provisional; New Year's Day 2028 a Saturday).
 */
const STARTS = ['2025-12-29', '2026-01-26', '2026-02-06', '2026-02-12', '2026-04-28', '2026-09-17', '2026-09-24', '2026-09-29', '2026-12-14', '2026-12-24', '2026-12-30', '2027-01-25', '2027-09-27', '2027-12-27'];
const ENDINGS: ReadonlySet<string> = new Set(['WithdrawApplication', 'NotAcceptCase', 'DenyCase', 'RevokeApproval']);
const ORIGINAL_CASE = '00000000-0000-4000-8000-000000000001';
const RECALCULATOR = { kind: 'system' as const, id: 'calendar' };

/**
 * A form the service's own rules accept (options, formats, bounds; a date in the past), where the fixtures' formFor
 * only fits the fixture services. No waiver is claimed, so a fee is paid.
 */
function formFor(definition: ServiceDefinition): Record<string, unknown> {
  return Object.fromEntries(
    definition.form.map((field) => {
      switch (field.type) {
        case 'string': {
          const formats = { phone: '13800138000', citizenId: APPLICANT, creditCode: ENTERPRISE } as const;
          return [field.name, field.options?.[0]?.value ?? (field.format ? formats[field.format] : '南山区')];
        }
        case 'number':
          return [field.name, field.minimum ?? 1];
        case 'date':
          return [field.name, '2020-01-01'];
        case 'boolean':
          return [field.name, false];
      }
    }),
  );
}

/** Evidence fields that satisfy the service's instant-approval conditions on that material. */
function fieldsFor(definition: ServiceDefinition, materialId: string): Record<string, unknown> {
  const fields: Record<string, unknown> = { citizenId: APPLICANT, creditCode: ENTERPRISE };
  for (const condition of (definition.instantApproval?.conditions ?? []) as Condition[]) {
    if (condition.material !== materialId) continue;
    const value = 'value' in condition ? condition.value : undefined;
    fields[condition.field] = Array.isArray(value) ? value[0] : (value ?? '2026-01');
  }
  return fields;
}

/** What the applicant, the clerks and the platform's timers and jobs could ask of the case now. */
function candidates(state: CaseState, now: Date, calendar: Calendar): CommandInput[] {
  const definition = state.definition;
  const { context } = state;
  const applicant = citizen(definition.applicantType === 'person' ? APPLICANT : ENTERPRISE);
  const lead = clerk(definition.department);
  const human: CommandInput[] = [];
  // A reconsideration case is drafted from the case it reconsiders, which its form names.
  const reconsideration = isReconsiderationService(definition.id);
  const form = reconsideration ? { ...formFor(definition), originalCaseId: ORIGINAL_CASE } : formFor(definition);
  human.push({ type: 'DraftApplication', actor: applicant, serviceId: definition.id, form, ...(reconsideration ? { reconsiderationOf: ORIGINAL_CASE } : {}) });
  // Fetched evidence is uploaded only where the platform asks for it (or in the draft, instead of fetching).
  const uploadable = definition.materials.filter((m) => m.kind === 'upload' || state.status === 'draft' || context.materials[m.id]?.status === 'upload_required');
  for (const material of uploadable) {
    human.push({ type: 'UploadMaterial', actor: applicant, materialId: material.id, fileName: 'f', mediaType: acceptedMediaTypes(material)[0]!, size: 10, sha256: 'a'.repeat(64) });
  }
  human.push({ type: 'SubmitApplication', actor: applicant });
  if (definition.commitment) human.push({ type: 'SubmitApplication', actor: applicant, commitment: true });
  const explicit = Object.values(context.materials).filter((m) => m.explicitRequest).map((m) => m.id);
  if (explicit.length) human.push({ type: 'SubmitApplication', actor: applicant, explicitRequests: explicit });
  human.push({ type: 'AcceptCase', actor: lead }, { type: 'NotAcceptCase', actor: lead, reason: 'outside competence' });
  const askable = Object.values(context.materials).filter((m) => (m.kind === 'upload' && m.status === 'missing') || m.status === 'upload_required').map((m) => m.id);
  if (askable.length) {
    human.push({ type: 'RequestSupplement', actor: lead, items: askable.map((materialId) => ({ materialId, note: '' })) });
    human.push({ type: 'RequestSupplement', actor: lead, items: [{ materialId: askable[0]!, note: '' }] });
  }
  human.push({ type: 'ProvideSupplement', actor: applicant });
  for (const material of Object.values(context.materials).filter((m) => m.status === 'awaiting_preview')) {
    human.push({ type: 'ConfirmEvidencePreview', actor: applicant, materialId: material.id }, { type: 'RefuseEvidencePreview', actor: applicant, materialId: material.id });
  }
  human.push({ type: 'StartJointReview', actor: lead });
  for (const department of context.jointReview?.departments.filter((d) => context.jointReview?.opinions[d] === undefined) ?? []) {
    human.push({ type: 'GiveOpinion', actor: clerk(department, ['reviewer']), opinion: 'approve', comment: '' });
    human.push({ type: 'GiveOpinion', actor: clerk(department, ['reviewer']), opinion: 'deny', comment: '' });
  }
  const firstUpload = definition.materials.find((m) => m.kind === 'upload');
  if (firstUpload) human.push({ type: 'RequestRevision', actor: lead, items: [{ materialId: firstUpload.id, note: '' }] });
  human.push({ type: 'ProvideRevisionSupplement', actor: applicant });
  const left = context.extensionDaysAllowed - context.extensionDaysUsed;
  for (const days of new Set([1, 3, left])) if (days >= 1 && days <= left) human.push({ type: 'ExtendDeadline', actor: lead, days, reason: 'inspection' });
  human.push({ type: 'SuspendCase', actor: lead, kind: 'hearing', reason: 'hearing' }, { type: 'ResumeCase', actor: lead });
  human.push({ type: 'ApproveCase', actor: lead }, { type: 'DenyCase', actor: lead, reasons: ['no'] }, { type: 'IssueCertificate', actor: lead });
  human.push({ type: 'VerifyCommitment', actor: lead }, { type: 'RevokeApproval', actor: lead, reason: 'false commitment' });
  human.push({ type: 'WithdrawApplication', actor: applicant });
  human.push({ type: 'RateCase', actor: applicant, score: 1 }, { type: 'RateCase', actor: applicant, score: 5 });
  human.push({ type: 'AnswerComplaint', actor: lead, response: 'we are sorry' });
  const owed = feeOwed(context);
  if (owed > 0) human.push({ type: 'PayFee', actor: applicant, paymentId: 'p-1', provider: 'test', providerRef: 'ref-1', amount: owed, currency: 'CNY', paidAt: now.toISOString() });
  const allowed = new Set<string>(allowedCommands(state));
  // allowedCommands offers an upload only for a material still open or owed, not one a revision asks for again.
  const commands = human.filter((c) => allowed.has(c.type) || (c.type === 'UploadMaterial' && state.status === 'awaitingRevision'));

  // Department answers to the fetches in flight, whichever way they go.
  for (const material of Object.values(context.materials).filter((m) => m.status === 'fetching')) {
    const declared = definition.materials.find((m) => m.id === material.id);
    if (declared?.kind !== 'evidence') continue;
    const source = { materialId: material.id, dataItem: declared.dataItem, provider: context.providers[material.id] ?? 'unknown' };
    commands.push({ type: 'RecordEvidence', actor: SYSTEM, ...source, fields: fieldsFor(definition, material.id), contentHash: 'h', retrievedAt: now.toISOString(), trustLevel: 'A' });
    commands.push({ type: 'RecordEvidenceUnavailable', actor: SYSTEM, ...source, reason: 'no_match', detail: '' });
  }
  // Timers that came due, as the scheduler would run them (late ones included: a gap of days is a worker down).
  for (const job of desiredJobs(state, calendar, 'Asia/Shanghai')) {
    if (job.kind !== 'timer' || job.runAt > now) continue;
    const { command, limit, dueOn, materialId, level } = job.payload;
    if (command === 'RaiseDeadlineWarning' || command === 'MarkOverdue') commands.push({ type: command, actor: SYSTEM, limit: limit!, dueOn: dueOn! });
    else if (command === 'RemindFollowUp') commands.push({ type: command, actor: SYSTEM, materialId: materialId!, dueOn: dueOn!, level: level! });
    else if (command === 'MarkComplaintOverdue') commands.push({ type: command, actor: SYSTEM, dueOn: dueOn! });
    else if (command === 'DeemAccepted' || command === 'ExpireSupplement' || command === 'AcceptOnSubmission') commands.push({ type: command, actor: SYSTEM });
  }
  return commands;
}

/**
 * How often each command is picked among those possible: a uniform pick uploads every non-key material before
 * acceptance (so nothing is owed) and rarely gets a joint review as far as a veto.
 */
function weight(command: CommandInput, state: CaseState): number {
  switch (command.type) {
    case 'UploadMaterial': {
      const material = state.context.materials[command.materialId];
      const revision = state.context.jointReview?.revision;
      if (revision?.items.includes(command.materialId) && !revision.uploaded.includes(command.materialId)) return 4;
      return material?.key && material.kind === 'upload' && material.status !== 'uploaded' ? 4 : 1;
    }
    case 'SubmitApplication':
    case 'AcceptCase':
    case 'RecordEvidence':
    case 'ProvideSupplement':
    case 'StartJointReview':
    case 'GiveOpinion':
    case 'RequestRevision':
    case 'ProvideRevisionSupplement':
    case 'ResumeCase':
      return 4;
    case 'RequestSupplement':
    case 'RecordEvidenceUnavailable':
    case 'SuspendCase':
    case 'IssueCertificate':
      return 2;
    default:
      return 1;
  }
}

/** Paths the run must reach, or the property proves less than it claims. */
const REQUIRED = [
  'CaseAccepted/working', 'CaseAccepted/calendar', 'deemed acceptance/working', 'deemed acceptance/calendar',
  'SupplementRequested/working', 'SupplementRequested/calendar', 'SupplementProvided/working', 'SupplementProvided/calendar',
  'FollowUpRequired/working', 'FollowUpRequired/calendar', 'follow-up moved by a resumption',
  'CaseResumed/working', 'CaseResumed/calendar', 'DeadlineExtended/working', 'DeadlineExtended/calendar',
  'DeadlineExtended while resumed', 'two suspensions', 'RevisionRequested', 'RevisionSupplementProvided', 'ComplaintOpened',
  'FollowUpReminderRaised', 'DeadlineOverdue', 'CaseApproved',
  'limit over a holiday', 'limit over a year end', 'calendar-day end moved off a day off',
  'DeadlinesRecalculated after the file arrived', 'TimeLimitsRecalculated after the file arrived',
] as const;

function noteCoverage(seen: Map<string, number>, state: CaseState, events: readonly CaseEvent[], calendar: Calendar): void {
  const kind = state.definition.limits.dayKind;
  const count = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);
  for (const event of events) {
    count(event.type);
    count(`${event.type}/${kind}`);
    if (event.type === 'CaseAccepted') count(`accepted: ${state.definition.id}`);
    if (event.type === 'CaseAccepted' && event.data.deemed) count(`deemed acceptance/${kind}`);
    if (event.type === 'TimeLimitsRecalculated' && event.data.suspendedOn) count('follow-up moved by a resumption');
    if ((event.type === 'TimeLimitsRecalculated' || event.type === 'DeadlinesRecalculated') && event.data.calendarVersion === BUNDLED.version && !('suspendedOn' in event.data && event.data.suspendedOn)) {
      count(`${event.type} after the file arrived`);
    }
    if (event.type === 'DeadlineExtended' && (state.context.suspendedPeriods ?? []).length > 0) count('DeadlineExtended while resumed');
    if (event.type === 'CaseResumed' && (state.context.suspendedPeriods ?? []).length > 1) count('two suspensions');
  }
  const { context } = state;
  const running: Array<[string, string]> = [];
  if (context.acceptedOn && context.due) running.push([context.acceptedOn, context.due.statutory]);
  if (context.supplement.requestedOn && context.supplement.dueOn) running.push([context.supplement.requestedOn, context.supplement.dueOn]);
  for (const owed of Object.values(context.followUps)) running.push([owed.since, owed.dueOn]);
  for (const [from, to] of running) {
    if (from.slice(0, 4) !== to.slice(0, 4)) count('limit over a year end');
    // Walking every day of every limit after every step is most of the cost of the run: enough once it is seen.
    if ((seen.get('limit over a holiday') ?? 0) > 100) break;
    for (let day = plusCalendarDays(from, 1); day <= to; day = plusCalendarDays(day, 1)) {
      if (calendar.holidayOf(day)) {
        count('limit over a holiday');
        break;
      }
    }
  }
  if (kind === 'calendar' && context.acceptedOn && context.due) {
    const added = context.extensionDaysUsed + (context.suspendedPeriods ?? []).reduce((sum, p) => sum + calendar.daysBetween(p.since, p.resumedOn, 'calendar'), 0);
    const counted = plusCalendarDays(context.acceptedOn, state.definition.limits.statutoryDays + added);
    if (counted !== context.due.statutory) count('calendar-day end moved off a day off');
  }
}

/** The history so far, one line a command, for a failure message a person can replay by hand. */
const history = (log: string[]) => log.map((line) => `  ${line}`).join('\n');

describe('time limits: a recalculation under the calendar the limits were set with records nothing', function () {
  // 400 generated histories: 6-8 s alone, several times that beside a whole suite on two cores.
  this.timeout(120_000);
  it('given any history of real services over holidays and year ends, after every step RecalculateDeadlines decides nothing', () => {
    const seen = new Map<string, number>();
    const gap = fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 4 }, { arbitrary: fc.integer({ min: 4, max: 16 }), weight: 1 });
    fc.assert(
      fc.property(
        // Joint review with vetoes takes the longest histories to reach its revision: its services are drawn more often.
        fc.oneof(...SERVICES.map((definition) => ({ arbitrary: fc.constant(definition), weight: definition.coReviewers.length ? 4 : 1 }))),
        fc.constantFrom(...STARTS),
        fc.array(fc.tuple(fc.nat(255), gap), { minLength: 20, maxLength: 60, size: 'max' }),
        // null: the 2026 file was there all along. n: it arrives before step n, and the worker's pass recomputes the
        // case, so later steps build on dates a recalculation set.
        fc.oneof(fc.constant(null), fc.nat(20)),
        (definition, start, steps, fileArrivesAt) => {
          let calendar = fileArrivesAt === null ? BUNDLED : BEFORE_THE_FILE;
          let state = emptyCase(definition);
          let day = start;
          const log: string[] = [];
          const recalculate = (n: number): CaseEvent[] => {
            const command: CaseCommand = { type: 'RecalculateDeadlines', commandId: `r${n}`, caseId: 'case-1', actor: RECALCULATOR, calendarVersion: calendar.version };
            try {
              return decide(command, state, environment(calendar, definition, day)).events;
            } catch (error) {
              throw new Error(`${definition.id}: RecalculateDeadlines refused after\n${history(log)}\n${String(error)}`);
            }
          };
          steps.forEach(([index, days], n) => {
            day = plusCalendarDays(day, days);
            if (n === fileArrivesAt) {
              calendar = BUNDLED;
              const decision = decide({ type: 'RecalculateDeadlines', commandId: 'pass', caseId: 'case-1', actor: RECALCULATOR, calendarVersion: calendar.version }, state, environment(calendar, definition, day));
              state = decision.state;
              log.push(`${day} (the 2026 file arrives) RecalculateDeadlines -> ${decision.events.map((e) => e.type).join(', ') || 'nothing'}`);
              noteCoverage(seen, state, decision.events, calendar);
              const again = recalculate(n);
              if (again.length) throw new Error(`${definition.id}: a second recalculation moved limits again after\n${history(log)}\nrecorded: ${JSON.stringify(again.map((e) => e.data))}`);
            }
            const options = candidates(state, noonOn(day), calendar)
              .filter((c) => index % 8 === 0 || !ENDINGS.has(c.type))
              .flatMap((c) => Array<CommandInput>(weight(c, state)).fill(c));
            const picked = options[index % Math.max(1, options.length)];
            if (!picked) return;
            const command = { ...picked, commandId: `c${n}`, caseId: 'case-1' } as CaseCommand;
            let events: CaseEvent[];
            try {
              const decision = decide(command, state, environment(calendar, definition, day));
              events = decision.events;
              state = decision.state;
            } catch (error) {
              // Refusals are the deciders' answer to a command that does not fit the case now; anything else is a bug.
              if (!(error instanceof DomainError)) throw error;
              return;
            }
            if (!events.length) return;
            log.push(`${day} ${command.type}${command.type === 'ExtendDeadline' ? ` ${command.days}` : ''} -> ${events.map((e) => e.type).join(', ')}`);
            noteCoverage(seen, state, events, calendar);
            const moved = recalculate(n);
            if (moved.length) throw new Error(`${definition.id}: the same calendar moved limits after\n${history(log)}\nrecorded: ${JSON.stringify(moved.map((e) => e.data))}`);
          });
        },
      ),
      { numRuns: 400 },
    );
    const missing = [...REQUIRED, ...SERVICES.map((definition) => `accepted: ${definition.id}`)].filter((path) => !seen.get(path));
    expect(missing, `paths the generated histories never reached: ${JSON.stringify(Object.fromEntries(seen))}`).to.deep.equal([]);
  });
});
