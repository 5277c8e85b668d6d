import { expect } from 'chai';
import { WORK_QUEUE, createWorkQueueProjector, fixedDirectory, type WorkItem } from '../../projections/views/index.ts';
import { JOINT } from '../support/case-fixtures.ts';
import { calendar, services, type ScenarioName } from './projection-views-scenarios.ts';
import { logOf, project } from './projection-views-support.ts';
import { caseStream } from '../../domain/case/events.ts';
import type { Append } from './projection-views-scenarios.ts';

const citizenActor = { kind: 'citizen' as const, id: 'citizen-1' };

const projector = createWorkQueueProjector({ services, calendars: (region) => (region === 'CN' ? calendar : undefined) });

function queueOf(name: ScenarioName, stopAfter?: number): Record<string, WorkItem> {
  return project(projector, logOf([{ name, caseId: 'case-1', stopAfter }])).all(WORK_QUEUE) as unknown as Record<string, WorkItem>;
}

describe('work queue projection', () => {
  it('given a submitted case, puts it in the lead department intake queue, due by the intake limit', () => {
    expect(queueOf('approved', 3)).to.deep.equal({
      'PSB-case-1': {
        id: 'PSB-case-1', department: 'PSB', role: 'lead', caseId: 'case-1', serviceId: 'test-residence', serviceVersion: 1, status: 'submitted',
        action: 'intake', waiting: false, dueOn: '2026-03-09', dueKind: 'intake', promisedDueOn: null, statutoryDueOn: null, warning: false,
        overdue: false, submittedAt: '2026-03-02T04:00:00.000Z', acceptedOn: null, receiptNo: null, note: null, followUpsOwed: 0, followUpDueOn: null,
        followUpOverdue: false, heldBy: null,
      },
    });
  });

  it('follows the case: waiting for the supplement, gathering evidence, review, suspended', () => {
    expect(queueOf('supplementExpired', 3)['PSB-case-1']).to.include({ action: 'awaiting-supplement', waiting: true, dueOn: '2026-03-10', dueKind: 'supplement' });
    expect(queueOf('approved', 4)['PSB-case-1']).to.include({ action: 'evidence', waiting: true, dueOn: '2026-03-17', dueKind: 'promised', statutoryDueOn: '2026-03-31' });
    // Accepted: the receipt number applicants quote is on the item from then on.
    expect(queueOf('approved', 4)['PSB-case-1']!.receiptNo).to.match(/^R-\d{8}-CASE1$/);
    expect(queueOf('approved', 5)['PSB-case-1']).to.include({ status: 'review', action: 'review', waiting: false, dueOn: '2026-03-17' });
    expect(queueOf('contested', 9)['PSB-case-1']).to.include({ status: 'suspended', action: 'suspended', waiting: true });
    expect(queueOf('contested', 10)['PSB-case-1']).to.include({ status: 'review', action: 'review', dueOn: '2026-03-24' });
  });

  it('given a joint review, queues an opinion for each co-reviewer and removes it once given', () => {
    const started = queueOf('joint', 5);
    expect(Object.keys(started)).to.deep.equal(['AMR-case-1', 'FIRE-case-1', 'HEALTH-case-1']);
    expect(started['AMR-case-1']).to.include({ role: 'lead', action: 'awaiting-opinions', waiting: true });
    expect(started['FIRE-case-1']).to.include({ role: 'co-reviewer', department: 'FIRE', action: 'opinion', waiting: false, dueOn: started['AMR-case-1']!.dueOn });
    expect(Object.keys(queueOf('joint', 6))).to.deep.equal(['AMR-case-1', 'HEALTH-case-1']);
    const allIn = queueOf('joint', 7);
    expect(Object.keys(allIn)).to.deep.equal(['AMR-case-1']);
    expect(allIn['AMR-case-1']).to.include({ action: 'decide', waiting: false });
  });

  it('after approval, asks for the certificate within the certificate limit, then drops the case', () => {
    expect(queueOf('joint', 8)['AMR-case-1']).to.include({ status: 'approved', action: 'certificate', dueOn: '2026-03-27', dueKind: 'certificate' });
    expect(queueOf('joint')).to.deep.equal({});
    expect(queueOf('previewRefused')['PSB-case-1']).to.include({ action: 'certificate' });
  });

  it('given approval on commitment with the certificate issued, asks for verification within the commitment limit', () => {
    expect(queueOf('commitment', 4)['PSB-case-1']).to.include({ status: 'certificateIssued', action: 'verify-commitment', dueOn: '2026-03-31', dueKind: 'verification' });
    expect(queueOf('commitment')).to.deep.equal({});
  });

  const withheldBy = (kind: string, reasons: string[]) => {
    const withheld = {
      streamId: 'case-case-1', actor: { kind: 'system' as const, id: 'rules' }, at: '2026-03-05T04:00:00.000Z', commandId: 'withheld-1',
      events: [{ type: 'InstantApprovalWithheld', data: { kind, reasons, withheldOn: '2026-03-05' } }],
    };
    const queue = project(projector, logOf([{ name: 'approved', caseId: 'case-1', stopAfter: 5 }], [withheld])).all(WORK_QUEUE) as unknown as Record<string, WorkItem>;
    return queue['PSB-case-1']!.note;
  };

  it('given 秒批 withheld because a condition read a value it did not accept, when the case is queued, then the note names the condition and never the value (the queue is read unlogged)', () => {
    expect(withheldBy('conditions_not_met', ['social-insurance.monthsContributed must be at least 1, got 0', 'household-registration: evidence is missing'])).to.equal(
      'social-insurance.monthsContributed: not met; household-registration: not met',
    );
  });

  it('given 秒批 withheld on doubtful data, then the note keeps the doubts, which name fields only', () => {
    expect(withheldBy('doubtful_data', ['business-registration: sources disagree on status'])).to.equal('business-registration: sources disagree on status');
  });

  it('flags a red card on the current due date as overdue', () => {
    expect(queueOf('deemedLate', 6)['PSB-case-1']).to.include({ overdue: true, warning: false, status: 'review' });
    expect(queueOf('contested', 11)['PSB-case-1']).to.include({ warning: true });
    expect(queueOf('contested', 12)['PSB-case-1']).to.include({ warning: false });
  });

  it('removes finished cases: not accepted, withdrawn, closed', () => {
    for (const name of ['supplementExpired', 'withdrawn', 'instant'] as const) expect(queueOf(name), name).to.deep.equal({});
  });

  it('given a certified case still owing its non-key lease (容缺), keeps it listed as waiting for the follow-up, due by the obligation', () => {
    expect(queueOf('approved', 4)['PSB-case-1']).to.include({ followUpsOwed: 1, followUpDueOn: '2026-03-10', followUpOverdue: false });
    expect(queueOf('approved')['PSB-case-1']).to.include({ status: 'certificateIssued', action: 'awaiting-follow-up', waiting: true, dueOn: '2026-03-10', dueKind: 'followUp', followUpsOwed: 1 });
  });

  it('given an intake limit a published calendar moved (TimeLimitsRecalculated), the intake item is due on the new date', () => {
    const moved: Append = {
      streamId: caseStream('case-1'), actor: { kind: 'system', id: 'calendar' }, at: '2026-03-04T04:00:00.000Z', commandId: 'recalculate-case-1',
      events: [{ type: 'TimeLimitsRecalculated', data: { calendarVersion: 'CN:2026@new', recalculatedOn: '2026-03-04', limits: [{ limit: 'intake', from: '2026-03-02', previous: '2026-03-09', dueOn: '2026-03-10' }] } }],
    };
    const queue = project(projector, logOf([{ name: 'approved', caseId: 'case-1', stopAfter: 3 }], [moved])).all(WORK_QUEUE) as unknown as Record<string, WorkItem>;
    expect(queue['PSB-case-1']).to.include({ action: 'intake', dueOn: '2026-03-10', dueKind: 'intake' });
  });

  it('given a service counting in calendar days, when its certificate limit ends on a weekend, then the certificate is due the Monday after', () => {
    // Approved on Fri Mar 13 2026: one calendar day ends on Sat Mar 14.
    const calendarDays = fixedDirectory([{ ...JOINT, limits: { ...JOINT.limits, dayKind: 'calendar', certificateDays: 1 } }]);
    const byDays = createWorkQueueProjector({ services: calendarDays, calendars: (region) => (region === 'CN' ? calendar : undefined) });
    const items = project(byDays, logOf([{ name: 'joint', caseId: 'case-1', stopAfter: 8 }])).all(WORK_QUEUE) as unknown as Record<string, WorkItem>;
    expect(items['AMR-case-1']).to.include({ action: 'certificate', dueOn: '2026-03-16', dueKind: 'certificate' });
  });

  describe('a payment taken after the approval was revoked', () => {
    const append = (commandId: string, at: string, actor: Append['actor'], type: string, data: Record<string, unknown>): Append => ({
      streamId: caseStream('case-1'), actor, at, commandId, events: [{ type, data }],
    });
    const PSB = { kind: 'clerk' as const, id: 'clerk-psb', department: 'PSB', roles: ['approver'] };
    const payments = { kind: 'system' as const, id: 'payments' };
    const revoked = append('revoke-1', '2026-03-04T04:00:00.000Z', PSB, 'ApprovalRevoked', { reason: '承诺不实', revokedOn: '2026-03-04' });
    const paidLate = append('close-orders-1', '2026-03-04T05:00:00.000Z', payments, 'PaymentReceived', {
      paymentId: 'fee-case-1', provider: 'sandbox', providerRef: 'SBX1', amount: 3000, currency: 'CNY', paidAt: '2026-03-04T04:59:00.000Z', refundDue: 'paid after the approval was revoked',
    });
    const refunded = (n: number, amount: number) => append(`refund-${n}`, `2026-03-05T0${n}:00:00.000Z`, PSB, 'PaymentRefunded', {
      refundId: `refund-case-1-${n}`, paymentId: 'fee-case-1', provider: 'sandbox', providerRef: `SBXR${n}`, amount, reason: '许可已撤销', refundedAt: `2026-03-05T0${n}:00:00.000Z`,
    });
    const queue = (extra: Append[]) => project(projector, logOf([{ name: 'commitment', caseId: 'case-1', stopAfter: 4 }], extra)).all(WORK_QUEUE) as unknown as Record<string, WorkItem>;

    it('given a revoked case, when the provider took the payment after all (refundDue), then the lead department lists it to refund, its own step with no due date', () => {
      expect(queue([revoked]), 'revoked, nothing paid: nothing to do').to.deep.equal({});
      expect(queue([revoked, paidLate])['PSB-case-1']).to.include({
        role: 'lead', status: 'revoked', action: 'refund-due', waiting: false, dueOn: null, dueKind: null, warning: false, overdue: false,
      });
    });

    it('given part of it refunded, then it stays listed; once all of it is refunded, it leaves the queue', () => {
      expect(queue([revoked, paidLate, refunded(1, 1000)])['PSB-case-1']).to.include({ action: 'refund-due' });
      expect(queue([revoked, paidLate, refunded(1, 1000), refunded(2, 2000)])).to.deep.equal({});
    });

    it('given a payment not owed back (paid while the approval stood), then a refund of it lists nothing', () => {
      const paid = append('pay-1', '2026-03-03T04:00:00.000Z', citizenActor, 'PaymentReceived', { paymentId: 'fee-case-1', provider: 'sandbox', providerRef: 'SBX1', amount: 3000, currency: 'CNY', paidAt: '2026-03-03T04:00:00.000Z' });
      expect(Object.values(queue([paid, revoked, refunded(1, 1000)])).map((i) => i.action)).to.deep.equal([]);
    });
  });

  it('without a calendar, leaves the certificate due date open', () => {
    const blind = createWorkQueueProjector({ services });
    const items = project(blind, logOf([{ name: 'joint', caseId: 'case-1', stopAfter: 8 }])).all(WORK_QUEUE);
    expect(items['AMR-case-1']).to.include({ action: 'certificate', dueOn: null });
  });
});
