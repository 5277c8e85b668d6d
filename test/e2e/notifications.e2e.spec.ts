import { expect } from 'chai';
import type { InProcessSms } from '../../adapters/notifications/index.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

type Json = Record<string, unknown>;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF photo'), 0xff, 0xd9]);
const ADDRESS = '深圳市南山区粤海街道科技园1号';
const FORM_PHONE = '13800138000';
const RESIDENCE_FORM = { residenceAddress: ADDRESS, residenceSince: '2025-06-01', residenceReason: '就业', phone: FORM_PHONE };
const EMAIL = 'resident@example.test';

describe('notifications over HTTP on PostgreSQL + Redis, emails through a real SMTP server', function () {
  this.timeout(240_000);
  let errand: RunningErrand;
  let smtp: TestSmtpServer;

  before(async () => {
    smtp = await startTestSmtpServer();
    errand = await startErrand('notify-e2e', { env: { SMTP_URL: smtp.url, SMTP_FROM: 'Errand <no-reply@errand.test>', PUBLIC_URL: 'https://errand.example' } });
  });
  after(async () => {
    await errand?.stop();
    await smtp?.close();
  });

  const view = (token: string, caseId: string, predicate: (v: Json) => boolean, what: string) =>
    until(what, async () => {
      const response = await errand.api(token, 'GET', `/cases/${caseId}`);
      return response.status === 200 && predicate(response.body) ? response : null;
    }, 60_000);

  it('preferences: email needs an address; a malformed address or phone is refused and changes nothing', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const initial = await errand.api(citizen, 'GET', '/me/notification-preferences');
    expect(initial.body).to.deep.equal({ language: 'zh-CN', email: false, sms: false, emailAddress: null, phone: null, available: { email: true, sms: true } });
    const missing = await errand.api(citizen, 'PUT', '/me/notification-preferences', { language: 'en', email: true, sms: false });
    expect(missing.status).to.equal(422);
    expect(missing.headers.get('content-type')).to.include('application/problem+json');
    expect((await errand.api(citizen, 'PUT', '/me/notification-preferences', { language: 'en', email: true, sms: false, emailAddress: 'not an address' })).status).to.equal(400);
    expect((await errand.api(citizen, 'PUT', '/me/notification-preferences', { language: 'en', email: false, sms: true, phone: '12345' })).status).to.equal(400);
    expect((await errand.api(citizen, 'PUT', '/me/notification-preferences', { language: 'fr', email: false, sms: false })).status).to.equal(400);
    expect((await errand.api(citizen, 'GET', '/me/notification-preferences')).body).to.deep.equal(initial.body);
  });

  it('a case journey sends the applicant each email it should, in their language, exactly once, with no personal data; the inbox shows them with an unread count', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const other = await errand.signIn('citizen-enterprise-active');
    const clerk = await errand.signIn('clerk-psb');
    const admin = await errand.signIn('admin');
    const saved = await errand.api(citizen, 'PUT', '/me/notification-preferences', { language: 'en', email: true, sms: false, emailAddress: EMAIL, phone: null });
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);

    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: RESIDENCE_FORM });
    const caseId = String(draft.body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, { explicitRequests: ['housing'] })).status).to.equal(200);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/supplement-request`, { items: [{ materialId: 'photo', note: '请上传近期照片' }] })).status).to.equal(200);
    await until('the supplement email', async () => smtp.mails.find((m) => m.subject.startsWith('Materials to supplement')));
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/supplement`, {})).status).to.equal(200);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {})).status).to.equal(200);
    await view(clerk, caseId, (v) => v.status === 'review', 'evidence gathered');
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/approve`, {})).status).to.equal(200);
    const issued = await errand.api(clerk, 'POST', `/cases/${caseId}/certificate`, {});
    expect(issued.status, JSON.stringify(issued.body)).to.equal(200);

    const expected = ['Materials to supplement', 'Application accepted', 'Materials still owed', 'Application approved', 'Certificate issued'];
    await until('every email', async () => expected.every((prefix) => smtp.mails.some((m) => m.subject.startsWith(prefix))));
    // Every delivery recorded is sent, and the server holds exactly one message per delivery.
    const log = await until('every delivery sent', async () => {
      const response = await errand.api(admin, 'GET', '/admin/notifications?pageSize=200');
      const items = response.body.items as Json[];
      return items.length >= expected.length && items.every((d) => d.status === 'sent') ? items : null;
    });
    const mine = smtp.mails.filter((m) => m.to.includes(EMAIL));
    expect(mine.map((m) => m.headers['x-errand-notification']).sort()).to.deep.equal(log.map((d) => String(d.id)).sort());
    for (const prefix of expected) expect(mine.filter((m) => m.subject.startsWith(prefix)), prefix).to.have.length(1);
    expect(mine.length).to.equal(expected.length);

    const accepted = mine.find((m) => m.subject.startsWith('Application accepted'))!;
    expect(accepted.text).to.match(/receipt R-\d{8}-/).and.include(`https://errand.example/citizen/cases/${caseId}`);
    expect(accepted.headers['content-language']).to.equal('en');
    const subjectId = String((await errand.api(citizen, 'GET', `/cases/${caseId}`)).body.applicantId);
    for (const mail of mine) {
      for (const personal of [subjectId, ADDRESS, FORM_PHONE, '请上传近期照片']) expect(mail.raw, `${mail.subject}: ${personal}`).to.not.include(personal);
    }
    expect(JSON.stringify(log)).to.not.include(EMAIL);

    // The inbox: the same notifications, newest first, unread until read; in Chinese on request.
    const inbox = await until('the inbox', async () => {
      const response = await errand.api(citizen, 'GET', '/me/notifications');
      return (response.body.items as Json[]).length >= expected.length ? response : null;
    });
    expect(inbox.body).to.include({ total: expected.length, unread: expected.length });
    const items = inbox.body.items as Json[];
    expect(items[0]).to.include({ kind: 'certificateIssued', caseId, read: false, href: `/citizen/cases/${caseId}` });
    const zh = await errand.api(citizen, 'GET', '/me/notifications?lang=zh-CN');
    expect(String((zh.body.items as Json[])[0]!.title)).to.include('证照已签发');
    const id = String(items[0]!.id);
    expect((await errand.api(other, 'POST', `/me/notifications/${id}/read`, {})).status).to.equal(404);
    expect((await errand.api(citizen, 'POST', `/me/notifications/${id}/read`, {})).status).to.equal(204);
    expect((await errand.api(citizen, 'POST', `/me/notifications/${id}/read`, {})).status).to.equal(204);
    const after = await errand.api(citizen, 'GET', '/me/notifications');
    expect(after.body).to.include({ unread: expected.length - 1 });
    expect((after.body.items as Json[]).find((n) => n.id === id)).to.include({ read: true });
    // Someone else's inbox holds none of it.
    expect((await errand.api(other, 'GET', '/me/notifications')).body).to.include({ total: 0, unread: 0 });
    // A clerk has an inbox of their own (deadline cards); the citizen's messages are not in it.
    const clerkInbox = await errand.api(clerk, 'GET', '/me/notifications');
    expect(clerkInbox.status).to.equal(200);
    expect((clerkInbox.body.items as Json[]).filter((n) => n.id === id)).to.deep.equal([]);
  });

  it('a suspension, the resumption and an extension each reach the applicant once, with the dates before and after and without the reasons the clerk typed', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    expect((await errand.api(citizen, 'PUT', '/me/notification-preferences', { language: 'en', email: true, sms: false, emailAddress: EMAIL, phone: null })).status).to.equal(200);
    // Public rental housing allows an extension (the residence permit does not).
    const clerk = await errand.signIn('clerk-housing');
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'public-rental-housing', form: { householdSize: 2, monthlyIncome: 4200, currentAddress: ADDRESS } });
    const caseId = String(draft.body.caseId);
    const link = `https://errand.example/citizen/cases/${caseId}`;
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    const accepted = await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {});
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    const before = (await errand.api(clerk, 'GET', `/cases/${caseId}`)).body.due as { promised: string; statutory: string };
    const suspended = await errand.api(clerk, 'POST', `/cases/${caseId}/suspend`, { kind: 'inspection', reason: '核查住所 申请人邻居证言' });
    expect(suspended.status, JSON.stringify(suspended.body)).to.equal(200);
    const resumed = await errand.api(clerk, 'POST', `/cases/${caseId}/resume`, {});
    expect(resumed.status, JSON.stringify(resumed.body)).to.equal(200);
    const extended = await errand.api(clerk, 'POST', `/cases/${caseId}/extend`, { days: 10, reason: '需要补充核实 申请人房东说明' });
    expect(extended.status, JSON.stringify(extended.body)).to.equal(200);
    const now = await view(citizen, caseId, (v) => (v.due as { statutory: string }).statutory !== before.statutory, 'the extended limit');
    const after = now.body.due as { promised: string; statutory: string };

    const ofCase = () => smtp.mails.filter((m) => m.to.includes(EMAIL) && m.text.includes(link));
    const expected = ['Case paused', 'Case resumed', 'Dates changed'];
    await until('the three emails', async () => expected.every((prefix) => ofCase().some((m) => m.subject.startsWith(prefix))));
    // A resumption that moves an owed material's date says so in its own message (test/int/notification-outbox.int.spec.ts).
    for (const prefix of ['Case paused', 'Case resumed']) expect(ofCase().filter((m) => m.subject.startsWith(prefix)), prefix).to.have.length(1);
    const paused = ofCase().find((m) => m.subject.startsWith('Case paused'))!;
    expect(paused.text).to.include('an on-site inspection');
    const extensions = ofCase().filter((m) => m.subject.startsWith('Dates changed') && m.text.includes('extended'));
    expect(extensions).to.have.length(1);
    const changed = extensions[0]!;
    expect(changed.text).to.include('extended').and.include(`statutory limit from `).and.include(` to ${after.statutory}`);
    for (const mail of ofCase()) {
      for (const typed of ['邻居', '房东', '核查住所']) expect(mail.raw, `${mail.subject}: ${typed}`).to.not.include(typed);
    }
    const inbox = await errand.api(citizen, 'GET', '/me/notifications?pageSize=50');
    const kinds = (inbox.body.items as Json[]).filter((n) => n.caseId === caseId).map((n) => n.kind);
    expect(kinds.filter((k) => k === 'suspended' || k === 'resumed')).to.deep.equal(['resumed', 'suspended']);
    expect(kinds[0]).to.equal('datesMoved');
  });

  it('only the administrator reads the delivery log; nobody signed out reads an inbox', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    expect((await errand.api(citizen, 'GET', '/admin/notifications')).status).to.equal(403);
    expect((await errand.api(null, 'GET', '/me/notifications')).status).to.equal(401);
  });
});

describe('notifications on the embedded default (PGlite, in-process queue, in-process SMS, no SMTP)', function () {
  this.timeout(180_000);
  let errand: RunningErrand;

  before(async () => {
    errand = await startErrand('notify-embedded', { embedded: true });
  });
  after(async () => errand?.stop());

  it('秒批: the enterprise that chose SMS gets one text per step, with the link, in Chinese; email is not offered', async () => {
    const citizen = await errand.signIn('citizen-enterprise-active');
    const prefs = await errand.api(citizen, 'GET', '/me/notification-preferences');
    expect(prefs.body.available).to.deep.equal({ email: false, sms: true });
    expect((await errand.api(citizen, 'PUT', '/me/notification-preferences', { language: 'zh-CN', email: true, sms: false, emailAddress: 'a@example.test' })).status).to.equal(422);
    expect((await errand.api(citizen, 'PUT', '/me/notification-preferences', { language: 'zh-CN', email: false, sms: true, phone: '+8613900139000' })).status).to.equal(200);
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'tax-clearance-certificate', form: { purpose: '招投标' } });
    const caseId = String(draft.body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    const sms = errand.engine.notifications.sms as InProcessSms;
    const texts = await until('three texts', async () => {
      const mine = sms.messages().filter((m) => m.to === '+8613900139000');
      return mine.length >= 3 ? mine : null;
    });
    expect(texts.map((m) => m.text.replace(/：.*$/s, ''))).to.deep.equal(['【一网通办】申请已受理', '【一网通办】申请已批准', '【一网通办】证照已签发']);
    expect(texts.every((m) => m.text.includes(`/citizen/cases/${caseId}`))).to.equal(true);
    const inbox = await errand.api(citizen, 'GET', '/me/notifications');
    expect((inbox.body.items as Json[]).map((n) => n.kind)).to.deep.equal(['certificateIssued', 'approved', 'accepted']);
  });
});
