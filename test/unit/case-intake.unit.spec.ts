import { expect } from 'chai';
import { loadCalendar } from '../../adapters/files/index.ts';
import { InvalidCommandError, WrongStateError } from '../../domain/case/errors.ts';
import { APPLICANT, SINGLE, citizen, clerk, givenCase, history, SYSTEM, types, when, type CommandInput, type Given } from '../support/case-fixtures.ts';

const PSB = clerk('PSB');

describe('case lifecycle: application and intake', () => {
  describe('drafting', () => {
    it('given no case, when the applicant drafts with a valid form, then ApplicationDrafted names service version and applicant', () => {
      const decision = when(givenCase(SINGLE, []), { type: 'DraftApplication', actor: citizen(), serviceId: SINGLE.id, form: { address: '深圳市南山区科技园' } });
      expect(types(decision)).to.deep.equal(['ApplicationDrafted']);
      expect(decision.events[0]!.data).to.include({ serviceId: SINGLE.id, serviceVersion: 1 });
      expect(decision.state.status).to.equal('draft');
    });

    it('given no case, when the form misses a required field and carries an unknown one, then both are named and nothing is decided', () => {
      expect(() => when(givenCase(SINGLE, []), { type: 'DraftApplication', actor: citizen(), serviceId: SINGLE.id, form: { colour: 'red' } }))
        .to.throw(InvalidCommandError, /address/)
        .and.to.match(/colour/);
    });

    it('given no case, when the applicant id has a wrong check character, then the error says so', () => {
      const bad = APPLICANT.slice(0, 17) + (APPLICANT[17] === '0' ? '1' : '0');
      expect(() => when(givenCase(SINGLE, []), { type: 'DraftApplication', actor: citizen(bad), serviceId: SINGLE.id, form: { address: 'x' } }))
        .to.throw(InvalidCommandError, /check/i);
    });
  });

  describe('submission', () => {
    it('given a draft, when submitted on the Friday before Spring Festival, then intake is due 5 working days later counting the make-up Saturday', () => {
      const decision = when(givenCase(SINGLE, [history.drafted(SINGLE)]), { type: 'SubmitApplication', actor: citizen() }, '2026-02-13');
      expect(types(decision)).to.deep.equal(['ApplicationSubmitted']);
      // Feb 14 (make-up Saturday), then Feb 24, 25, 26, 27 after the holiday of Feb 15-23.
      expect(decision.events[0]!.data).to.include({ submittedOn: '2026-02-13', intakeDueOn: '2026-02-27' });
    });

    it('given a draft, when the applicant asks for commitment on a service without it, then it is refused', () => {
      expect(() => when(givenCase(SINGLE, [history.drafted(SINGLE)]), { type: 'SubmitApplication', actor: citizen(), commitment: true }))
        .to.throw(InvalidCommandError, /commitment/);
    });
  });

  describe('acceptance', () => {
    it('given a submitted case missing its key photo, when the clerk accepts, then the error lists the photo and points to a supplement', () => {
      const state = givenCase(SINGLE, [history.drafted(SINGLE), history.submitted()]);
      expect(() => when(state, { type: 'AcceptCase', actor: PSB })).to.throw(InvalidCommandError, /photo.*supplement/);
    });

    it('given the key photo uploaded, when accepted, then the clock starts and evidence is requested from its provider in the same decision', () => {
      // Submitted the same day: a clerk decides intake within its limit (see below).
      const submitted: Given = { type: 'ApplicationSubmitted', data: { submittedOn: '2026-09-24', explicitRequests: [], commitment: false, intakeDueOn: '2026-10-09' }, on: '2026-09-24' };
      const state = givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo'), submitted]);
      const decision = when(state, { type: 'AcceptCase', actor: PSB }, '2026-09-24');
      // The lease is non-key and missing (容缺): accepted anyway, with the lease owed by a due date.
      expect(types(decision)).to.deep.equal(['CaseAccepted', 'EvidenceRequested', 'FollowUpRequired']);
      const accepted = decision.events[0]!.data as { due: { statutory: string; promised: string }; missingNonKey: string[]; deemed: boolean };
      // 20 working days from Thu 2026-09-24: Sep 25-27 and Oct 1-7 are off, Sep 20 and Oct 10 are make-up days.
      expect(accepted.due).to.deep.equal({ statutory: '2026-10-29', promised: '2026-10-15' });
      expect(accepted.missingNonKey).to.deep.equal(['lease']);
      expect(accepted.deemed).to.equal(false);
      expect(decision.events[1]!.data).to.deep.equal({
        items: [{ materialId: 'household', dataItem: 'household-registration', provider: 'PSB', fields: ['citizenId', 'name', 'address'] }],
      });
      expect(decision.state.status).to.equal('gatheringEvidence');
    });

    it('given a submitted case, when not accepted without a reason, then a written reason is demanded', () => {
      const state = givenCase(SINGLE, [history.drafted(SINGLE), history.submitted()]);
      expect(() => when(state, { type: 'NotAcceptCase', actor: PSB, reason: '  ' })).to.throw(InvalidCommandError, /written reason/);
      expect(types(when(state, { type: 'NotAcceptCase', actor: PSB, reason: 'outside our competence' }))).to.deep.equal(['CaseNotAccepted']);
    });

    it('given intake has not answered by its due date, when the intake timer fires, then the case is deemed accepted', () => {
      const state = givenCase(SINGLE, [history.drafted(SINGLE), history.submitted()]);
      expect(types(when(state, { type: 'DeemAccepted', actor: SYSTEM }, '2026-03-09'))).to.deep.equal([]);
      const decision = when(state, { type: 'DeemAccepted', actor: SYSTEM }, '2026-03-10');
      expect(types(decision)).to.deep.equal(['CaseAccepted', 'EvidenceRequested', 'FollowUpRequired']);
      expect(decision.events[0]!.data).to.include({ deemed: true });
      // Accepted from the day the application was received (art. 32), not from the day the timer found the limit gone.
      const submittedOn = state.context.submittedOn!;
      expect(decision.events[0]!.data).to.include({ acceptedOn: submittedOn });
      const { limits } = state.definition;
      const calendar = loadCalendar('CN');
      expect((decision.events[0]!.data as { due: unknown }).due, 'the limits run from that day').to.deep.equal({
        statutory: calendar.addDays(submittedOn, limits.statutoryDays, limits.dayKind),
        promised: calendar.addDays(submittedOn, limits.promisedDays, limits.dayKind),
      });
    });

    describe('after the intake limit, with its timer late (art. 32: deemed accepted from receipt)', () => {
      // Submitted 2026-03-02 with the photo in: intake due 2026-03-09; the timer should have fired on 2026-03-10.
      const unanswered = () => givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo'), history.submitted()]);

      it('given the intake limit ended on 2026-03-09, when the clerk accepts, refuses or asks for a supplement on 2026-03-10, then each is refused naming the limit and the acceptance from receipt', () => {
        const state = unanswered();
        const decisions: CommandInput[] = [
          { type: 'AcceptCase', actor: PSB },
          { type: 'NotAcceptCase', actor: PSB, reason: 'outside our competence' },
          { type: 'RequestSupplement', actor: PSB, items: [{ materialId: 'lease', note: 'signed copy' }] },
        ];
        for (const command of decisions) {
          expect(() => when(state, command, '2026-03-10'), command.type)
            .to.throw(InvalidCommandError, /intake limit ended on 2026-03-09: the application counts as accepted from 2026-03-02 \(Administrative Licensing Law art\. 32\)/);
          // On the last day of the limit the clerk still decides.
          expect(when(state, command, '2026-03-09').events.length, command.type).to.be.greaterThan(0);
        }
      });

      it('given a clerk\'s late acceptance refused, when the timer fires, then the case is deemed accepted from receipt; when it fires again, then it records nothing', () => {
        const state = unanswered();
        expect(() => when(state, { type: 'AcceptCase', actor: PSB }, '2026-03-12')).to.throw(InvalidCommandError);
        const deemed = when(state, { type: 'DeemAccepted', actor: SYSTEM }, '2026-03-12');
        expect(types(deemed)[0]).to.equal('CaseAccepted');
        expect(deemed.events[0]!.data).to.include({ deemed: true, acceptedOn: '2026-03-02' });
        expect(deemed.state.status).to.equal('gatheringEvidence');
        expect(types(when(deemed.state, { type: 'DeemAccepted', actor: SYSTEM }, '2026-03-13'))).to.deep.equal([]);
        // The clerk's intake decisions are over: the case is being processed.
        expect(() => when(deemed.state, { type: 'AcceptCase', actor: PSB }, '2026-03-13')).to.throw(WrongStateError);
      });

      it('given a supplement answered on 2026-03-11 (intake due again 2026-03-18), when the clerk accepts on 2026-03-18, then it is accepted from that day, not deemed', () => {
        const back = givenCase(SINGLE, [
          history.drafted(SINGLE),
          history.submitted(),
          { type: 'SupplementRequested', data: { items: [{ materialId: 'photo', note: '' }], requestedOn: '2026-03-02', dueOn: '2026-03-16' } },
          history.uploaded('photo'),
          { type: 'SupplementProvided', data: { materialIds: ['photo'], providedOn: '2026-03-11', intakeDueOn: '2026-03-18' }, on: '2026-03-11' },
        ]);
        const accepted = when(back, { type: 'AcceptCase', actor: PSB }, '2026-03-18');
        expect(accepted.events[0]!.data).to.include({ deemed: false, acceptedOn: '2026-03-18' });
        expect(() => when(back, { type: 'AcceptCase', actor: PSB }, '2026-03-19')).to.throw(InvalidCommandError, /ended on 2026-03-18: the application counts as accepted from 2026-03-11/);
      });
    });

    it('given an accepted case, when the intake timer fires late, then it records nothing', () => {
      const state = givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo'), history.submitted(), history.accepted()]);
      expect(types(when(state, { type: 'DeemAccepted', actor: SYSTEM }, '2026-03-10'))).to.deep.equal([]);
    });
  });

  describe('supplement notice (once, listing everything)', () => {
    const submitted = () => givenCase(SINGLE, [history.drafted(SINGLE), history.submitted()]);

    it('given a submitted case, when the clerk lists the missing photo and lease, then one notice with a due date is recorded', () => {
      const decision = when(submitted(), {
        type: 'RequestSupplement',
        actor: PSB,
        items: [{ materialId: 'photo', note: 'white background' }, { materialId: 'lease', note: 'signed copy' }],
      });
      expect(types(decision)).to.deep.equal(['SupplementRequested']);
      expect(decision.events[0]!.data).to.include({ dueOn: '2026-03-09' });
      expect(decision.state.status).to.equal('awaitingSupplement');
    });

    it('given an evidence item the platform fetches itself, when a supplement notice lists it, then it is refused (the applicant\'s upload of it would be refused too, leaving no way to comply)', () => {
      expect(() => when(submitted(), { type: 'RequestSupplement', actor: PSB, items: [{ materialId: 'household', note: '' }] })).to.throw(InvalidCommandError, /fetched by the platform/);
    });

    it('given an empty or duplicated list, when requested, then it is refused', () => {
      expect(() => when(submitted(), { type: 'RequestSupplement', actor: PSB, items: [] })).to.throw(InvalidCommandError, /empty/);
      expect(() => when(submitted(), { type: 'RequestSupplement', actor: PSB, items: [{ materialId: 'photo', note: '' }, { materialId: 'photo', note: '' }] }))
        .to.throw(InvalidCommandError, /twice/);
    });

    it('given a notice for the photo, when the applicant answers before uploading, then the missing photo is named', () => {
      const state = givenCase(SINGLE, [history.drafted(SINGLE), history.submitted(), { type: 'SupplementRequested', data: { items: [{ materialId: 'photo', note: '' }], requestedOn: '2026-03-02', dueOn: '2026-03-09' } }]);
      expect(() => when(state, { type: 'ProvideSupplement', actor: citizen() })).to.throw(InvalidCommandError, /photo/);
    });

    it('given the photo supplied, when the applicant answers, then the case returns to intake and a second notice is refused', () => {
      const state = givenCase(SINGLE, [
        history.drafted(SINGLE),
        history.submitted(),
        { type: 'SupplementRequested', data: { items: [{ materialId: 'photo', note: '' }], requestedOn: '2026-03-02', dueOn: '2026-03-09' } },
        history.uploaded('photo'),
      ]);
      const decision = when(state, { type: 'ProvideSupplement', actor: citizen() });
      expect(types(decision)).to.deep.equal(['SupplementProvided']);
      expect(decision.state.status).to.equal('submitted');
      expect(() => when(decision.state, { type: 'RequestSupplement', actor: PSB, items: [{ materialId: 'lease', note: '' }] }))
        .to.throw(WrongStateError, /RequestSupplement is not allowed while the case is submitted/);
    });

    it('given the supplement due date passed, when its timer fires, then the case is not accepted with the reason', () => {
      const state = givenCase(SINGLE, [history.drafted(SINGLE), history.submitted(), { type: 'SupplementRequested', data: { items: [{ materialId: 'photo', note: '' }], requestedOn: '2026-03-02', dueOn: '2026-03-09' } }]);
      expect(types(when(state, { type: 'ExpireSupplement', actor: SYSTEM }, '2026-03-09'))).to.deep.equal([]);
      const decision = when(state, { type: 'ExpireSupplement', actor: SYSTEM }, '2026-03-10');
      expect(types(decision)).to.deep.equal(['CaseNotAccepted']);
      expect(decision.events[0]!.data).to.include({ reason: 'supplement not provided by 2026-03-09' });
    });
  });

  describe('uploads', () => {
    it('given a draft, when a material is uploaded with a wrong type, size or hash, then each problem is named', () => {
      const state = givenCase(SINGLE, [history.drafted(SINGLE)]);
      expect(() => when(state, { type: 'UploadMaterial', actor: citizen(), materialId: 'photo', fileName: 'p.png', mediaType: 'image/png', size: 9_000_000, sha256: 'xyz' }))
        .to.throw(InvalidCommandError, /image\/jpeg.*at most 2000000 bytes.*sha256/);
      expect(() => when(state, { type: 'UploadMaterial', actor: citizen(), materialId: 'passport', fileName: 'p', mediaType: 'image/jpeg', size: 1, sha256: 'a'.repeat(64) }))
        .to.throw(InvalidCommandError, /not part of service/);
    });
  });

  describe('withdrawal', () => {
    it('given a case in review, when the applicant withdraws, then it ends; given a denied case, withdrawal names the state and what is allowed', () => {
      const review = givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo'), history.submitted(), history.accepted(), history.requested('household', 'household-registration', 'PSB'), history.received('household'), history.completed()]);
      expect(types(when(review, { type: 'WithdrawApplication', actor: citizen() }))).to.deep.equal(['CaseWithdrawn']);
      const denied = when(review, { type: 'DenyCase', actor: PSB, reasons: ['address outside the district'] }).state;
      expect(() => when(denied, { type: 'WithdrawApplication', actor: citizen() }))
        .to.throw(WrongStateError, /WithdrawApplication is not allowed while the case is closed; allowed now: RateCase/);
    });
  });
});
