import { expect } from 'chai';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import {
  ANY_ROLE,
  chooseChannels,
  DEFAULT_PREFERENCES,
  deliveryId,
  emptyCaseFacts,
  evolveCaseFacts,
  LANGUAGES,
  NOTIFICATION_KINDS,
  notificationId,
  notificationsFor,
  recipientKey,
  renderNotification,
  renderSms,
  type Notification,
  type TellableEvent,
} from '../../domain/notifications/index.ts';
import { ConfigError } from '../../adapters/config/index.ts';
import { loadNotificationConfig } from '../../adapters/notifications/index.ts';
import { APPLICANT, SINGLE } from '../support/case-fixtures.ts';

const NAME = '张三丰';
/** SINGLE with the household evidence shown to the applicant before use (OOTS preview). */
const SERVICE: ServiceDefinition = {
  ...SINGLE,
  materials: SINGLE.materials.map((m) => (m.id === 'household' && m.kind === 'evidence' ? { ...m, requiresPreview: true } : m)),
};

let counter = 0;
const event = (type: string, data: Record<string, unknown>, eventId = `evt-${++counter}`): TellableEvent => ({ type, data, eventId, occurredAt: `2026-03-02T04:00:${String(counter % 60).padStart(2, '0')}.000Z` });

/** A whole journey whose events carry the applicant's ID number and name wherever the real ones do. */
function journey(): TellableEvent[] {
  counter = 0;
  return [
    event('ApplicationDrafted', { caseId: 'case-1', serviceId: SERVICE.id, serviceVersion: 1, applicant: { type: 'person', id: APPLICANT }, form: { citizenId: APPLICANT, name: NAME, address: '深圳市南山区' }, bundleId: null }),
    event('ApplicationSubmitted', { submittedOn: '2026-03-02', explicitRequests: [], commitment: false, intakeDueOn: '2026-03-09' }),
    event('SupplementRequested', { items: [{ materialId: 'photo', note: `photo of ${NAME} is blurred` }], requestedOn: '2026-03-02', dueOn: '2026-03-09' }),
    event('SupplementProvided', { materialIds: ['photo'], providedOn: '2026-03-03' }),
    event('CaseAccepted', { acceptedOn: '2026-03-03', receiptNo: 'R-2026-0001', deemed: false, missingNonKey: ['lease'], due: { statutory: '2026-03-31', promised: '2026-03-17' } }),
    event('FollowUpRequired', { items: [{ materialId: 'lease', dueOn: '2026-03-17' }], recordedOn: '2026-03-03' }),
    event('EvidenceReceived', { materialId: 'household', dataItem: 'household-registration', provider: 'PSB', fields: { citizenId: APPLICANT, name: NAME }, contentHash: 'h', retrievedAt: '2026-03-03T04:00:00Z', trustLevel: 'A', qualityIssues: [] }),
    event('CaseClaimed', { department: 'PSB', clerkId: 'C007', claimedOn: '2026-03-04' }),
    event('DeadlineWarningRaised', { limit: 'promised', dueOn: '2026-03-17', raisedOn: '2026-03-13' }),
    event('CaseReleased', { department: 'PSB', clerkId: 'C007', releasedOn: '2026-03-16' }),
    event('DeadlineOverdue', { limit: 'promised', dueOn: '2026-03-17', raisedOn: '2026-03-18' }),
    event('FollowUpReminderRaised', { materialId: 'lease', dueOn: '2026-03-17', level: 'red', raisedOn: '2026-03-18' }),
    event('CaseApproved', { decidedOn: '2026-03-18', by: 'clerk', reasons: [] }),
    event('CertificateIssued', { certificateNo: 'RES-2026-0042', certificateType: 'RESIDENCE', issuedOn: '2026-03-18', validUntil: '2027-03-18', holder: { type: 'person', id: APPLICANT } }),
  ];
}

/** What the outbox does: fold the stream, asking at each event what it tells. */
/** Tells each event in order; an array among them is one command's events, each told with the others alongside. */
function tell(entries: Array<TellableEvent | TellableEvent[]>): Notification[] {
  let facts = emptyCaseFacts('case-1');
  const out: Notification[] = [];
  for (const entry of entries) {
    const command = Array.isArray(entry) ? entry : [entry];
    for (const e of command) {
      out.push(...notificationsFor(e, facts, SERVICE, command.filter((other) => other !== e)));
      facts = evolveCaseFacts(facts, e);
    }
  }
  return out;
}

const citizenKey = recipientKey({ kind: 'citizen', id: APPLICANT });

describe('Notifications: what each case event tells whom', () => {
  it('given a whole journey, when told, then the applicant hears of each step they must know or act on, in order', () => {
    const told = tell(journey());
    expect(told.filter((n) => n.to === citizenKey).map((n) => n.kind)).to.deep.equal([
      'supplementRequested', 'accepted', 'followUpRequired', 'previewToConfirm', 'followUpDue', 'approved', 'certificateIssued',
    ]);
  });

  it('given a clerk holding the case, when the promised limit nears, then the yellow card goes to that clerk only', () => {
    const warning = tell(journey()).filter((n) => n.kind === 'deadlineWarning');
    expect(warning.map((n) => n.to)).to.deep.equal([recipientKey({ kind: 'clerk', id: 'C007' })]);
    expect(warning[0]!.audience).to.equal('clerk');
    expect(warning[0]!.facts).to.include({ level: 'yellow', limit: 'promised', dueOn: '2026-03-17' });
  });

  it('given nobody holds the case, when it is overdue, then one red card goes to every clerk of the department, supervisors included', () => {
    const overdue = tell(journey()).filter((n) => n.kind === 'deadlineOverdue');
    expect(overdue.map((n) => n.to)).to.deep.equal([recipientKey({ kind: 'group', department: 'PSB', role: ANY_ROLE })]);
    expect(overdue.every((n) => n.facts.level === 'red')).to.equal(true);
  });

  it('given a clerk holding the case, when it is overdue, then the red card goes to that clerk and to the department\'s supervisors', () => {
    const events = journey().filter((e) => e.type !== 'CaseReleased');
    const overdue = tell(events).filter((n) => n.kind === 'deadlineOverdue');
    expect(overdue.map((n) => n.to)).to.deep.equal([
      recipientKey({ kind: 'clerk', id: 'C007' }),
      recipientKey({ kind: 'group', department: 'PSB', role: 'approver' }),
    ]);
  });

  it('given the acceptance, when told, then it carries the receipt number and the promised date, and later messages keep the receipt number', () => {
    const told = tell(journey());
    expect(told.find((n) => n.kind === 'accepted')!.facts).to.include({ receiptNo: 'R-2026-0001', dueOn: '2026-03-17' });
    expect(told.find((n) => n.kind === 'certificateIssued')!.facts).to.include({ receiptNo: 'R-2026-0001', certificateNo: 'RES-2026-0042' });
    expect(told.find((n) => n.kind === 'supplementRequested')!.facts.receiptNo).to.equal(null);
  });

  it('given evidence that needs no preview, when received, then nobody is told', () => {
    const plain = journey().map((e) => e);
    let facts = emptyCaseFacts('case-1');
    for (const e of plain.slice(0, 6)) facts = evolveCaseFacts(facts, e);
    expect(notificationsFor(plain[6]!, facts, SINGLE)).to.deep.equal([]);
  });
});

describe('Notifications: ids are derived, so a replay tells nothing twice', () => {
  it('given the same events told twice, then every notification has the same id both times', () => {
    expect(tell(journey()).map((n) => n.id)).to.deep.equal(tell(journey()).map((n) => n.id));
  });

  it('given a journey, then no two notifications share an id, and a delivery id names its channel', () => {
    const ids = tell(journey()).map((n) => n.id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))).to.equal(true);
    expect(deliveryId(ids[0]!, 'email')).to.equal(`${ids[0]}.email`);
  });

  it('given another event, kind or recipient, then the id differs', () => {
    const base = notificationId('e1', 'accepted', 'p-1');
    expect(notificationId('e2', 'accepted', 'p-1')).to.not.equal(base);
    expect(notificationId('e1', 'approved', 'p-1')).to.not.equal(base);
    expect(notificationId('e1', 'accepted', 'p-2')).to.not.equal(base);
  });
});

describe('Notifications: no personal data beyond what the message needs', () => {
  const forbidden = [APPLICANT, APPLICANT.slice(0, 17), NAME, '深圳市南山区', 'blurred'];

  it('given events full of ID numbers and names, then no notification record holds any of them', () => {
    const stored = JSON.stringify(tell(journey()));
    for (const value of forbidden) expect(stored, value).to.not.include(value);
    expect(stored).to.not.match(/\d{17}[\dX]/);
  });

  it('given every message in every language and channel, then none holds an ID number or a name', () => {
    for (const n of tell(journey())) {
      for (const language of LANGUAGES) {
        const texts = [JSON.stringify(renderNotification(n.kind, n.facts, language, 'https://errand.example/citizen/cases/case-1')), renderSms(n.kind, n.facts, language)];
        for (const text of texts) {
          for (const value of forbidden) expect(text, `${n.kind} ${language}`).to.not.include(value);
          expect(text).to.not.match(/\d{17}[\dX]/);
        }
      }
    }
  });

  it('given a person, then their recipient key is a digest, not their ID number, and differs between a citizen and a clerk of the same id', () => {
    expect(citizenKey).to.match(/^p-[0-9a-f]{32}$/);
    expect(citizenKey).to.not.include(APPLICANT);
    expect(recipientKey({ kind: 'clerk', id: APPLICANT })).to.not.equal(citizenKey);
  });
});

describe('Notifications: templates in the reader\'s language', () => {
  const facts = { service: { 'zh-CN': '居住登记', en: 'Residence registration' }, receiptNo: 'R-9', dueOn: '2026-03-17', materials: [{ 'zh-CN': '租赁合同', en: 'Lease' }], limit: 'statutory' as const, level: 'yellow' as const, certificateNo: 'C-1' };

  it('given every kind, then zh-CN and en both render a title and body naming the service in that language', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const zh = renderNotification(kind, facts, 'zh-CN');
      const en = renderNotification(kind, facts, 'en');
      expect(zh.title, kind).to.include('居住登记');
      expect(en.title, kind).to.include('Residence registration');
      expect(zh.body, kind).to.match(/[\u4e00-\u9fff]/);
      expect(en.body, kind).to.not.match(/[\u4e00-\u9fff]/);
    }
  });

  it('given a supplement notice, then it lists the materials and the due date', () => {
    expect(renderNotification('supplementRequested', facts, 'zh-CN').body).to.include('租赁合同').and.include('2026-03-17');
    expect(renderNotification('supplementRequested', facts, 'en').body).to.include('Lease').and.include('2026-03-17');
  });

  it('given a link, then the email body ends with it and the SMS carries it with the title only', () => {
    const link = 'https://errand.example/citizen/cases/case-1';
    expect(renderNotification('accepted', facts, 'en', link).body.endsWith(link)).to.equal(true);
    const sms = renderSms('accepted', facts, 'zh-CN', link);
    expect(sms).to.include(link).and.include('申请已受理');
    expect(sms).to.not.include('承诺办结');
  });
});

describe('Notifications: channel choice', () => {
  const all = { email: true, sms: true };

  it('given no preferences, then the inbox only', () => {
    expect(chooseChannels(null, all, true)).to.deep.equal(['inbox']);
  });

  it('given email and SMS chosen with addresses, then all three', () => {
    expect(chooseChannels({ ...DEFAULT_PREFERENCES, email: true, emailAddress: 'a@b.example', sms: true, phone: '13800138000' }, all, true)).to.deep.equal(['inbox', 'email', 'sms']);
  });

  it('given email chosen without an address, or a server without SMTP, then no email', () => {
    expect(chooseChannels({ ...DEFAULT_PREFERENCES, email: true }, all, true)).to.deep.equal(['inbox']);
    expect(chooseChannels({ ...DEFAULT_PREFERENCES, email: true, emailAddress: 'a@b.example' }, { email: false, sms: true }, true)).to.deep.equal(['inbox']);
  });

  it('given a group recipient (a department\'s clerks), then the inbox only whatever preferences say', () => {
    expect(chooseChannels({ ...DEFAULT_PREFERENCES, email: true, emailAddress: 'a@b.example' }, all, false)).to.deep.equal(['inbox']);
  });
});

describe('Notifications: adversarial wording and configuration', () => {
  it('given facts with nothing optional (no receipt yet, no date, no materials), then no message says "undefined" or "null"', () => {
    for (const kind of NOTIFICATION_KINDS) {
      for (const language of LANGUAGES) {
        const message = renderNotification(kind, { service: { 'zh-CN': '居住登记', en: 'Residence registration' }, receiptNo: null }, language, 'https://x.example/c');
        expect(`${message.title}\n${message.body}`, `${kind} ${language}`).to.not.match(/undefined|null|\[object/);
      }
    }
  });

  it('given a malformed SMTP_URL, then start-up stops naming the variable, without echoing its password', () => {
    expect(() => loadNotificationConfig({ SMTP_URL: 'http://user:secret@mail.example' })).to.throw(ConfigError, /SMTP_URL/).and.not.match(/secret/);
    expect(() => loadNotificationConfig({ SMTP_URL: 'not a url :secret@' })).to.throw(ConfigError).with.property('message').that.does.not.include('secret');
    expect(() => loadNotificationConfig({ SMS_URL: 'ftp://sms.example' })).to.throw(ConfigError, /SMS_URL/);
    expect(() => loadNotificationConfig({ NOTIFY_MAX_ATTEMPTS: '0' })).to.throw(ConfigError, /NOTIFY_MAX_ATTEMPTS/);
  });

  it('given nothing configured, then no email, SMS kept in process, eight attempts from five seconds', () => {
    expect(loadNotificationConfig({})).to.deep.equal({ smtpUrl: null, smtpFrom: 'Errand <no-reply@errand.invalid>', smsUrl: null, smsToken: null, publicUrl: null, maxAttempts: 8, backoffMs: 5000 });
  });
});

describe('Notifications: the applicant hears when a date they were told moves, and why', () => {
  const REASON = `${NAME} asked for a site visit`;
  /** The journey up to the follow-up owed (accepted, promised 2026-03-17, statutory 2026-03-31), then `more`. */
  const after = (...more: Array<TellableEvent | TellableEvent[]>) => tell([...journey().slice(0, 6), ...more]).filter((n) => n.to === citizenKey);

  it('given an accepted case, when its limit is extended, then the applicant is told both decision dates before and after, and not the reason', () => {
    const told = after(event('DeadlineExtended', { days: 10, reason: REASON, due: { statutory: '2026-04-14', promised: '2026-03-31' } }));
    const moved = told.filter((n) => n.kind === 'datesMoved');
    expect(moved).to.have.length(1);
    expect(moved[0]!.facts).to.deep.include({
      cause: 'extended',
      dueOn: '2026-03-31',
      moved: [{ limit: 'statutory', previousOn: '2026-03-31', dueOn: '2026-04-14' }, { limit: 'promised', previousOn: '2026-03-17', dueOn: '2026-03-31' }],
    });
    const zh = renderNotification('datesMoved', moved[0]!.facts, 'zh-CN').body;
    expect(zh).to.include('延长').and.include('法定办结期限由 2026-03-31 调整为 2026-04-14').and.include('承诺办结日期由 2026-03-17 调整为 2026-03-31');
    expect(renderNotification('datesMoved', moved[0]!.facts, 'en').body).to.include('extended').and.include('promised decision from 2026-03-17 to 2026-03-31');
    expect(JSON.stringify(moved)).to.not.include('site visit');
  });

  it('given a suspension and the resumption, then the applicant is told the kind of pause without its reason, then, in one message, the new promised date and the owed material\'s new due date', () => {
    const moves = () => event('TimeLimitsRecalculated', { calendarVersion: 'v1', recalculatedOn: '2026-03-10', suspendedOn: '2026-03-05', limits: [{ limit: 'followUp', materialId: 'lease', from: '2026-03-03', previous: '2026-03-17', dueOn: '2026-03-20' }] });
    const told = after(
      event('CaseSuspended', { kind: 'expert_review', reason: REASON, suspendedOn: '2026-03-05' }),
      [event('CaseResumed', { resumedOn: '2026-03-10', due: { statutory: '2026-04-03', promised: '2026-03-20' } }), moves()],
    );
    expect(told.map((n) => n.kind).slice(-3)).to.deep.equal(['followUpRequired', 'suspended', 'resumed']);
    const [paused, resumed] = told.slice(-2);
    expect(paused!.facts).to.include({ suspension: 'expert_review' });
    expect(renderNotification('suspended', paused!.facts, 'zh-CN').body).to.include('专家评审').and.include('不计入');
    expect(resumed!.facts).to.deep.include({
      dueOn: '2026-03-20',
      moved: [{ limit: 'promised', previousOn: '2026-03-17', dueOn: '2026-03-20' }, { limit: 'followUp', previousOn: '2026-03-17', dueOn: '2026-03-20', material: { 'zh-CN': 'Lease', en: 'Lease' } }],
    });
    expect(renderNotification('resumed', resumed!.facts, 'en').body).to.include('promised decision from 2026-03-17 to 2026-03-20').and.include('"Lease" due from 2026-03-17 to 2026-03-20');
    expect(renderNotification('resumed', resumed!.facts, 'zh-CN').body).to.include('容缺材料“Lease”补交期限由 2026-03-17 调整为 2026-03-20');
    expect(JSON.stringify(told)).to.not.include('site visit');

    // A follow-up moved by a pause but recorded by a command of its own (none does today) is still told on its own.
    const alone = after(event('CaseSuspended', { kind: 'expert_review', reason: REASON, suspendedOn: '2026-03-05' }), moves());
    expect(alone.at(-1)!.facts).to.deep.include({ cause: 'resumed', moved: [{ limit: 'followUp', previousOn: '2026-03-17', dueOn: '2026-03-20', material: { 'zh-CN': 'Lease', en: 'Lease' } }] });
    expect(renderNotification('datesMoved', alone.at(-1)!.facts, 'en').body).to.include('"Lease" due from 2026-03-17 to 2026-03-20');
  });

  it('given a new holiday calendar, when it moves the promised date or the supplement\'s, then the applicant is told; when it moves only the clerks\' limits, nobody is told', () => {
    const calendarMoved = after(event('DeadlinesRecalculated', { calendarVersion: 'v2', recalculatedOn: '2026-03-04', previous: { statutory: '2026-03-31', promised: '2026-03-17' }, due: { statutory: '2026-04-02', promised: '2026-03-19' } }));
    expect(calendarMoved.at(-1)!.kind).to.equal('datesMoved');
    expect(calendarMoved.at(-1)!.facts).to.deep.include({ cause: 'recalculated', moved: [{ limit: 'promised', previousOn: '2026-03-17', dueOn: '2026-03-19' }] });
    expect(renderNotification('datesMoved', calendarMoved.at(-1)!.facts, 'zh-CN').body).to.include('重新核算').and.include('承诺办结日期由 2026-03-17 调整为 2026-03-19');

    const supplement = tell([
      ...journey().slice(0, 3),
      event('TimeLimitsRecalculated', { calendarVersion: 'v2', recalculatedOn: '2026-03-04', limits: [{ limit: 'supplement', from: '2026-03-02', previous: '2026-03-09', dueOn: '2026-03-11' }] }),
    ]).filter((n) => n.to === citizenKey);
    expect(supplement.at(-1)!.facts).to.deep.include({ cause: 'recalculated', dueOn: '2026-03-11', moved: [{ limit: 'supplement', previousOn: '2026-03-09', dueOn: '2026-03-11' }] });

    const before = after().length;
    const clerksOnly = after(
      event('TimeLimitsRecalculated', { calendarVersion: 'v2', recalculatedOn: '2026-03-04', limits: [{ limit: 'intake', from: '2026-03-02', previous: '2026-03-09', dueOn: '2026-03-11' }, { limit: 'complaint', from: '2026-03-02', previous: '2026-03-09', dueOn: '2026-03-11' }] }),
      event('DeadlinesRecalculated', { calendarVersion: 'v2', recalculatedOn: '2026-03-04', previous: { statutory: '2026-03-31', promised: '2026-03-17' }, due: { statutory: '2026-04-02', promised: '2026-03-17' } }),
    );
    expect(clerksOnly).to.have.length(before);
  });

  it('given one recomputation moving the promised date and an owed material\'s, then one message lists both; a resumption moving only the material\'s still says the promised date, and its title says dates moved', () => {
    const recomputed = after([
      event('DeadlinesRecalculated', { calendarVersion: 'v2', recalculatedOn: '2026-03-04', previous: { statutory: '2026-03-31', promised: '2026-03-17' }, due: { statutory: '2026-04-02', promised: '2026-03-19' } }),
      event('TimeLimitsRecalculated', { calendarVersion: 'v2', recalculatedOn: '2026-03-04', limits: [{ limit: 'followUp', materialId: 'lease', from: '2026-03-03', previous: '2026-03-17', dueOn: '2026-03-19' }] }),
    ]);
    expect(recomputed.filter((n) => n.kind === 'datesMoved')).to.have.length(1);
    expect(recomputed.at(-1)!.facts).to.deep.include({
      cause: 'recalculated',
      moved: [{ limit: 'promised', previousOn: '2026-03-17', dueOn: '2026-03-19' }, { limit: 'followUp', previousOn: '2026-03-17', dueOn: '2026-03-19', material: { 'zh-CN': 'Lease', en: 'Lease' } }],
    });

    const onlyLease = after(
      event('CaseSuspended', { kind: 'hearing', reason: REASON, suspendedOn: '2026-03-05' }),
      [
        // Resumed the same day: the decision dates stand, the lease's due date moved (its own counting).
        event('CaseResumed', { resumedOn: '2026-03-05', due: { statutory: '2026-03-31', promised: '2026-03-17' } }),
        event('TimeLimitsRecalculated', { calendarVersion: 'v1', recalculatedOn: '2026-03-05', suspendedOn: '2026-03-05', limits: [{ limit: 'followUp', materialId: 'lease', from: '2026-03-03', previous: '2026-03-17', dueOn: '2026-03-18' }] }),
      ],
    );
    const resumed = onlyLease.at(-1)!;
    expect(resumed.kind).to.equal('resumed');
    const en = renderNotification('resumed', resumed.facts, 'en');
    expect(en.title).to.equal('Case resumed, dates moved: Residence registration');
    expect(en.body).to.include('"Lease" due from 2026-03-17 to 2026-03-18').and.include('Promised decision by 2026-03-17');
    const zh = renderNotification('resumed', resumed.facts, 'zh-CN');
    expect(zh.title).to.include('期限已顺延');
    expect(zh.body).to.include('补交期限由 2026-03-17 调整为 2026-03-18').and.include('承诺办结日期 2026-03-17');
    // Nothing moved: the title is the plain one, the body the promised date.
    const still = renderNotification('resumed', { service: SERVICE.name, dueOn: '2026-03-17', moved: [] }, 'en');
    expect(still.title).to.equal('Case resumed: Residence registration');
    expect(still.body).to.include('Promised decision by 2026-03-17');
  });

  it('given an extension told the statutory date, when a resumption or a new calendar moves it later, then that move is told too (and never before an extension named it)', () => {
    const extended = event('DeadlineExtended', { days: 10, reason: REASON, due: { statutory: '2026-04-14', promised: '2026-03-31' } });
    const suspended = event('CaseSuspended', { kind: 'hearing', reason: REASON, suspendedOn: '2026-03-20' });
    const resumed = event('CaseResumed', { resumedOn: '2026-03-27', due: { statutory: '2026-04-21', promised: '2026-03-31' } });
    const recalculated = event('DeadlinesRecalculated', { calendarVersion: 'v2', recalculatedOn: '2026-03-28', previous: { statutory: '2026-04-21', promised: '2026-03-31' }, due: { statutory: '2026-04-22', promised: '2026-03-31' } });
    const told = after(extended, suspended, resumed, recalculated);
    expect(told.find((n) => n.kind === 'resumed')!.facts.moved).to.deep.equal([{ limit: 'statutory', previousOn: '2026-04-14', dueOn: '2026-04-21' }]);
    expect(told.at(-1)!.facts).to.deep.include({ cause: 'recalculated', moved: [{ limit: 'statutory', previousOn: '2026-04-21', dueOn: '2026-04-22' }] });
    // Without the extension the statutory date was never told: its moves alone tell nothing.
    const unextended = after(suspended, event('CaseResumed', { resumedOn: '2026-03-27', due: { statutory: '2026-04-07', promised: '2026-03-17' } }));
    expect(unextended.find((n) => n.kind === 'resumed')!.facts.moved).to.deep.equal([]);
  });
});
