import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { accessStream } from '../../domain/access/events.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { certificateStream } from '../../domain/certificates/certificate.ts';
import { caseStream } from '../../domain/case/events.ts';
import { eventIdFor } from '../../workflows/index.ts';
import { pdfText } from '../support/pdf-text.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

type Json = Record<string, unknown>;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF photo'), 0xff, 0xd9]);
const FORM = { residenceAddress: '深圳市龙华区民治街道2号', residenceSince: '2023-03-01', residenceReason: '就业', phone: '13600000000' };

/** A binary download (the shared helper parses JSON). */
async function download(errand: RunningErrand, token: string | null, path: string): Promise<{ status: number; type: string; bytes: Buffer; problem: Json | null }> {
  const response = await fetch(`${errand.baseUrl}/api/v1${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, type, bytes, problem: type.includes('problem+json') ? (JSON.parse(bytes.toString('utf8')) as Json) : null };
}

/** A download sent with another Host header (and an http forwarded scheme), as a client may send it. */
function downloadWithHost(errand: RunningErrand, token: string, path: string, host: string): Promise<{ status: number; bytes: Buffer }> {
  const url = new URL(`${errand.baseUrl}/api/v1${path}`);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers: { Host: host, 'X-Forwarded-Proto': 'http', Authorization: `Bearer ${token}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

async function permitCase(errand: RunningErrand, citizen: string, psb: string, options: { supplement?: boolean; certify?: boolean } = {}): Promise<{ caseId: string; view: Json }> {
  const caseId = String((await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM })).body.caseId);
  // With a supplement notice to come, the photo is missing at submission and asked for once.
  if (!options.supplement) await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' });
  const submitted = await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {});
  expect(submitted.status, JSON.stringify(submitted.body)).to.equal(200);
  if (options.supplement) {
    const asked = await errand.api(psb, 'POST', `/cases/${caseId}/supplement-request`, { items: [{ materialId: 'photo', note: '照片背景须为白色' }] });
    expect(asked.status, JSON.stringify(asked.body)).to.equal(200);
    await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' });
    const answered = await errand.api(citizen, 'POST', `/cases/${caseId}/supplement`, {});
    expect(answered.status, JSON.stringify(answered.body)).to.equal(200);
  }
  expect((await errand.api(psb, 'POST', `/cases/${caseId}/accept`, {})).status).to.equal(200);
  await until('the permit case in review', async () => ((await errand.api(psb, 'GET', `/cases/${caseId}`)).body.status === 'review' ? true : null), 40_000);
  const approved = await errand.api(psb, 'POST', `/cases/${caseId}/approve`, { reasons: ['材料齐全，符合条件'] });
  expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
  if (options.certify !== false) expect((await errand.api(psb, 'POST', `/cases/${caseId}/certificate`, {})).status).to.equal(200);
  const view = (await errand.api(citizen, 'GET', `/cases/${caseId}`)).body;
  return { caseId, view };
}

/** The certificate as the public verification finds it (the projection may trail the issue by its lag). */
const verified = (errand: RunningErrand, number: string, query = '', status?: string) =>
  until(`certificate ${number} known to verification`, async () => {
    const answer = await errand.api(null, 'GET', `/certificates/${number}/verify${query}`);
    return answer.status === 200 && answer.body.status !== 'unknown' && (!status || answer.body.status === status) ? answer : null;
  }, 40_000);

describe('electronic certificates and printable notices over HTTP (PostgreSQL + Redis)', function () {
  this.timeout(240_000);
  let errand: RunningErrand;
  let citizen: string;
  let psb: string;
  let caseId: string;
  let certificateNo: string;

  before(async () => {
    errand = await startErrand('certificates', { env: { PUBLIC_URL: 'https://errand.city.example' } });
    citizen = await errand.signIn('citizen-dirty-record');
    psb = await errand.signIn('clerk-psb');
    const issued = await permitCase(errand, citizen, psb, { supplement: true });
    caseId = issued.caseId;
    certificateNo = (issued.view.certificate as { certificateNo: string }).certificateNo;
  });
  after(async () => errand?.stop());

  it('the holder gets the certificate as a credential signed by the issuing department; a changed credential fails verification', async () => {
    const signed = await errand.api(citizen, 'GET', `/cases/${caseId}/certificate`);
    expect(signed.status).to.equal(200);
    const credential = signed.body.credential as Json & { issuer: { department: string }; holder: Json };
    expect(credential).to.include({ certificateNo, certificateType: 'residence-permit', type: 'ErrandCertificate' });
    expect(credential.issuer.department).to.equal('PSB');
    expect(signed.body.status).to.equal('valid');
    await verified(errand, certificateNo);
    const good = await errand.api(null, 'POST', `/certificates/${certificateNo}/verify`, { credential, signature: signed.body.signature });
    expect(good.body).to.deep.include({ status: 'valid', signature: { valid: true } });
    const longer = await errand.api(null, 'POST', `/certificates/${certificateNo}/verify`, { credential: { ...credential, validUntil: '2099-12-31' }, signature: signed.body.signature });
    expect(longer.body.signature).to.deep.include({ valid: false });
    const otherHolder = await errand.api(null, 'POST', `/certificates/${certificateNo}/verify`, { credential: { ...credential, holder: { ...credential.holder, name: '李四' } }, signature: signed.body.signature });
    expect(otherHolder.body.signature).to.deep.include({ valid: false });
    // A department's key cannot vouch for another department's certificate.
    const foreign = await errand.api(null, 'POST', `/certificates/${certificateNo}/verify`, { credential: { ...credential, issuer: { ...credential.issuer, department: 'TAX' } }, signature: signed.body.signature });
    expect(foreign.body.signature).to.deep.include({ valid: false });
  });

  it('the PDF carries the seal, QR code and verification URL; it verifies unchanged and fails once a byte changes', async () => {
    const pdf = await download(errand, citizen, `/cases/${caseId}/certificate/document?disclose=holderName`);
    expect(pdf.status).to.equal(200);
    expect(pdf.type).to.equal('application/pdf');
    const { text } = await pdfText(pdf.bytes);
    const { links } = await pdfText(pdf.bytes);
    expect(text).to.contain(certificateNo).and.to.contain('居住证').and.to.contain('电子印章').and.to.contain(`/verify?no=${certificateNo}`);
    // The printed address is status only; the holder's token travels in the QR code and the link.
    expect(text).to.not.contain('&t=');
    expect(links).to.have.length(1);
    expect(links[0]).to.contain(`/verify?no=${certificateNo}&t=`);
    // The address sealed into the PDF is PUBLIC_URL's, whatever Host (or forwarded scheme) the request came with.
    expect(links[0]!.startsWith(`https://errand.city.example/verify?no=${certificateNo}&t=`), links[0]).to.equal(true);
    const forged = await downloadWithHost(errand, citizen, `/cases/${caseId}/certificate/document?disclose=holderName`, 'errand-verify.attacker.example');
    expect(forged.status).to.equal(200);
    const forgedLinks = (await pdfText(forged.bytes)).links;
    expect(forgedLinks[0]!.startsWith('https://errand.city.example/verify?no='), forgedLinks[0]).to.equal(true);
    expect(forged.bytes.includes('attacker')).to.equal(false);
    const check = (bytes: Buffer) => errand.api(null, 'POST', `/certificates/${certificateNo}/verify/document`, bytes, { 'Content-Type': 'application/pdf' });
    expect((await check(pdf.bytes)).body).to.deep.include({ status: 'valid', signature: { valid: true } });
    // Another name some systems send for a PDF: still the PDF to check.
    const sentAsAlias = await errand.api(null, 'POST', `/certificates/${certificateNo}/verify/document`, pdf.bytes, { 'Content-Type': 'application/x-pdf' });
    expect(sentAsAlias.status, JSON.stringify(sentAsAlias.body)).to.equal(200);
    expect(sentAsAlias.body).to.deep.include({ status: 'valid', signature: { valid: true } });
    const tampered = Buffer.from(pdf.bytes);
    const at = tampered.indexOf('stream\n') + 60;
    tampered[at] = tampered[at]! ^ 0x01;
    const refused = await check(tampered);
    expect(refused.status).to.equal(200);
    expect(refused.body.signature).to.deep.include({ valid: false });
    expect((await check(Buffer.from('%PDF-1.4\n%%EOF\n'))).body.signature).to.deep.include({ valid: false });
    const notPdf = await errand.api(null, 'POST', `/certificates/${certificateNo}/verify/document`, Buffer.from('hello'), { 'Content-Type': 'text/plain' });
    expect(notPdf.status).to.equal(415);
  });

  it('public verification reveals no personal data, unless the holder chose to show it through the QR code\'s token', async () => {
    const pdf = await download(errand, citizen, `/cases/${caseId}/certificate/document?disclose=holderName`);
    const token = new URL((await pdfText(pdf.bytes)).links[0]!).searchParams.get('t')!;
    const view = (await errand.api(citizen, 'GET', `/cases/${caseId}`)).body as Json & { applicantId: string };
    const plain = await verified(errand, certificateNo);
    expect(plain.body).to.include({ status: 'valid', certificateNo });
    expect(plain.body).to.not.have.property('disclosed');
    expect(JSON.stringify(plain.body)).to.not.contain(view.applicantId);
    const shown = await errand.api(null, 'GET', `/certificates/${certificateNo}/verify?t=${encodeURIComponent(token)}`);
    expect(shown.body, `${token} ${JSON.stringify(shown.body)}`).to.have.property('disclosed');
    expect(Object.keys(shown.body.disclosed as Json)).to.deep.equal(['holderName']);
    expect(JSON.stringify(shown.body)).to.not.contain(view.applicantId);
    // The token names one certificate: it discloses nothing about another, and a forged token is a 400.
    expect((await errand.api(null, 'GET', `/certificates/OTHER-2026-000000000000/verify?t=${encodeURIComponent(token)}`)).status).to.equal(400);
    const forged = await errand.api(null, 'GET', `/certificates/${certificateNo}/verify?t=${encodeURIComponent(`${token.slice(0, -4)}AAAA`)}`);
    expect(forged.status).to.equal(400);
    expect(forged.headers.get('content-type')).to.contain('application/problem+json');
    // Only the holder chooses what is shown; the refused download is no use of the holder's data.
    const events = errand.engine.stores.eventStore;
    const accesses = async () => (await events.readStream(accessStream(events.subjectRef(view.applicantId)))).filter((e) => e.data.channel === 'certificate').length;
    const before = await accesses();
    expect((await download(errand, psb, `/cases/${caseId}/certificate/document?disclose=holderId`)).status).to.equal(403);
    expect(await accesses()).to.equal(before);
    expect((await download(errand, psb, `/cases/${caseId}/certificate/document`)).status).to.equal(200);
    expect(await accesses()).to.equal(before + 1);
  });

  it('unknown numbers are "unknown"; malformed numbers and disclosure choices are problems', async () => {
    expect((await errand.api(null, 'GET', '/certificates/NO-SUCH-2026-000000000000/verify')).body).to.deep.equal({ certificateNo: 'NO-SUCH-2026-000000000000', status: 'unknown' });
    const malformed = await errand.api(null, 'GET', '/certificates/not%20a%20number/verify');
    expect(malformed.status).to.equal(400);
    expect((await download(errand, citizen, `/cases/${caseId}/certificate/document?disclose=address`)).status).to.equal(400);
    // A genuine PDF presented under another number proves nothing about that number.
    const pdf = await download(errand, citizen, `/cases/${caseId}/certificate/document`);
    const elsewhere = await errand.api(null, 'POST', '/certificates/NO-SUCH-2026-000000000000/verify/document', pdf.bytes, { 'Content-Type': 'application/pdf' });
    expect(elsewhere.body).to.deep.include({ status: 'unknown' });
    expect(elsewhere.body.signature).to.deep.include({ valid: false });
    // A clerk of a department with no part in the case sees neither its notices nor its certificate.
    const amr = await errand.signIn('clerk-amr');
    expect((await download(errand, amr, `/cases/${caseId}/notices/acceptance`)).status).to.equal(404);
    expect((await download(errand, amr, `/cases/${caseId}/certificate/document`)).status).to.equal(404);
    expect((await errand.api(amr, 'GET', `/cases/${caseId}/certificate`)).status).to.equal(404);
  });

  it('notices: acceptance receipt, one-time supplement notice and decision letter print the legal wording, limits and receipt number', async () => {
    const view = (await errand.api(citizen, 'GET', `/cases/${caseId}`)).body as Json & { receiptNo: string; due: { statutory: string; promised: string }; supplement: { dueOn: string } };
    const acceptance = await download(errand, citizen, `/cases/${caseId}/notices/acceptance`);
    expect(acceptance.status).to.equal(200);
    const accepted = await pdfText(acceptance.bytes);
    expect(accepted.text).to.contain('受理通知书').and.to.contain(view.receiptNo).and.to.contain('第三十二条').and.to.contain('居住证申领');
    expect(accepted.text).to.contain(view.due.statutory).and.to.contain(view.due.promised).and.to.contain('个工作日');
    expect((accepted.info.Custom as Json).ReceiptNo).to.equal(view.receiptNo);
    const supplement = await pdfText((await download(errand, citizen, `/cases/${caseId}/notices/supplement`)).bytes);
    expect(supplement.text).to.contain('一次性告知书').and.to.contain('照片背景须为白色').and.to.contain(view.supplement.dueOn).and.to.contain('一次性告知');
    const decision = await pdfText((await download(errand, citizen, `/cases/${caseId}/notices/decision`)).bytes);
    expect(decision.text).to.contain('准予行政许可决定书').and.to.contain('第三十八条').and.to.contain(certificateNo);
    // The same case state prints the same bytes.
    const again = await download(errand, citizen, `/cases/${caseId}/notices/acceptance`);
    expect(again.bytes.equals(acceptance.bytes)).to.equal(true);
  });

  it('a not-accepted case gets its notice with the reason and the remedies; a notice the case does not have is a 404; another applicant gets a 404', async () => {
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    const refusedCase = String(draft.body.caseId);
    await errand.api(citizen, 'POST', `/cases/${refusedCase}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' });
    await errand.api(citizen, 'POST', `/cases/${refusedCase}/submit`, {});
    expect((await errand.api(psb, 'POST', `/cases/${refusedCase}/not-accept`, { reason: '申请事项不属于本机关职权范围' })).status).to.equal(200);
    const notice = await pdfText((await download(errand, citizen, `/cases/${refusedCase}/notices/not-accepted`)).bytes);
    expect(notice.text).to.contain('不予受理通知书').and.to.contain('申请事项不属于本机关职权范围').and.to.contain('行政复议').and.to.contain('六十日');
    const missing = await download(errand, citizen, `/cases/${refusedCase}/notices/acceptance`);
    expect(missing.status).to.equal(404);
    expect(missing.problem).to.include({ status: 404 });
    const stranger = await errand.signIn('citizen-instant-approval');
    expect((await download(errand, stranger, `/cases/${caseId}/notices/acceptance`)).status).to.equal(404);
    expect((await download(errand, stranger, `/cases/${caseId}/certificate/document`)).status).to.equal(404);
    expect((await download(errand, citizen, `/cases/${caseId}/notices/receipt`)).status).to.equal(400);
    expect((await download(errand, null, `/cases/${caseId}/notices/acceptance`)).status).to.equal(401);
  });

  it('a clerk\'s download of a notice or the certificate is logged in the holder\'s "who used my data"; the holder\'s own is not', async () => {
    const uses = async () => ((await errand.api(citizen, 'GET', '/me/data-use')).body.items as Json[]).filter((u) => u.caseId === caseId && (u.channel === 'notice' || u.channel === 'certificate'));
    const before = await uses();
    expect(before.every((u) => (u.accessor as Json | undefined)?.kind !== 'citizen')).to.equal(true);
    expect((await download(errand, psb, `/cases/${caseId}/notices/decision`)).status).to.equal(200);
    expect((await download(errand, psb, `/cases/${caseId}/certificate/document`)).status).to.equal(200);
    const after = await until('the clerk\'s downloads in the data-use log', async () => {
      const now = await uses();
      return now.length >= before.length + 2 ? now : null;
    }, 40_000);
    expect(after.map((u) => u.channel)).to.include.members(['notice', 'certificate']);
  });

  it('demo data: the 秒批 enterprise (citizen-enterprise-active) gets a verifiable certificate and the receipt and decision letter with no clerk', async () => {
    const enterprise = await errand.signIn('citizen-enterprise-active');
    const draft = await errand.api(enterprise, 'POST', '/cases', { serviceId: 'tax-clearance-certificate', form: { purpose: '招投标' } });
    const instantCase = String(draft.body.caseId);
    expect((await errand.api(enterprise, 'POST', `/cases/${instantCase}/submit`, {})).status).to.equal(200);
    const done = await until('the certificate, issued by rule', async () => {
      const v = (await errand.api(enterprise, 'GET', `/cases/${instantCase}`)).body;
      return v.certificate ? v : null;
    }, 40_000);
    const number = (done.certificate as { certificateNo: string }).certificateNo;
    const pdf = await download(errand, enterprise, `/cases/${instantCase}/certificate/document`);
    const printed = await pdfText(pdf.bytes);
    expect(printed.text).to.contain('无欠税证明').and.to.contain('统一社会信用代码').and.to.contain(String(done.applicantId));
    await verified(errand, number);
    expect((await errand.api(null, 'POST', `/certificates/${number}/verify/document`, pdf.bytes, { 'Content-Type': 'application/pdf' })).body).to.deep.include({ status: 'valid', signature: { valid: true } });
    const receipt = await pdfText((await download(errand, enterprise, `/cases/${instantCase}/notices/acceptance`)).bytes);
    expect(receipt.text).to.contain(String(done.receiptNo));
    const decision = await pdfText((await download(errand, enterprise, `/cases/${instantCase}/notices/decision`)).bytes);
    expect(decision.text).to.contain('秒批').and.to.contain(number);
    // A certificate of the tax bureau is not one of the public security bureau: its signature names TAX's key.
    const signed = await errand.api(enterprise, 'GET', `/cases/${instantCase}/certificate`);
    expect((signed.body.credential as { issuer: { department: string } }).issuer.department).to.equal('TAX');
    const keys = await errand.api(null, 'GET', '/certificates/keys');
    expect((keys.body.keys as Array<{ department: string }>).map((k) => k.department)).to.include('TAX');
  });

  it('revocation is an event: verification says revoked, and the revoked permit is no longer evidence for public rental housing', async () => {
    const amr = await errand.signIn('clerk-amr');
    expect((await errand.api(amr, 'POST', `/certificates/${certificateNo}/revocation`, { reason: '以欺骗手段取得' })).status).to.equal(403);
    // Sent at the same moment under one key with another reason: one is recorded, the other refused, never both 200.
    const reasons = ['以欺骗手段取得', '证照信息有误'];
    const sent = await Promise.all(reasons.map((reason) => errand.api(psb, 'POST', `/certificates/${certificateNo}/revocation`, { reason }, { 'Idempotency-Key': `revoke-${certificateNo}` })));
    expect(sent.map((r) => r.status).sort(), JSON.stringify(sent.map((r) => r.body))).to.deep.equal([200, 422]);
    const won = sent.findIndex((r) => r.status === 200);
    expect(sent[won]!.body).to.include({ status: 'revoked', replayed: false });
    const replay = await errand.api(psb, 'POST', `/certificates/${certificateNo}/revocation`, { reason: reasons[won] }, { 'Idempotency-Key': `revoke-${certificateNo}` });
    expect(replay.body).to.include({ status: 'revoked', replayed: true });
    const otherReason = await errand.api(psb, 'POST', `/certificates/${certificateNo}/revocation`, { reason: reasons[1 - won] }, { 'Idempotency-Key': `revoke-${certificateNo}` });
    expect(otherReason.status, JSON.stringify(otherReason.body)).to.equal(422);
    expect(String(otherReason.body.type)).to.match(/idempotency-key-reused/);
    expect((await errand.api(psb, 'POST', `/certificates/${certificateNo}/revocation`, { reason: 'again' })).status).to.equal(409);
    expect((await errand.api(psb, 'POST', `/certificates/${certificateNo}/revocation`, { reason: '' })).status).to.equal(400);
    const events = await errand.engine.stores.eventStore.readStream(certificateStream(certificateNo));
    expect(events.map((e) => e.type)).to.deep.equal(['CertificateRevoked']);
    expect((await errand.api(null, 'GET', `/certificates/${certificateNo}/verify`)).body).to.include({ status: 'revoked' });
    const pdf = await download(errand, citizen, `/cases/${caseId}/certificate/document`);
    expect((await errand.api(null, 'POST', `/certificates/${certificateNo}/verify/document`, pdf.bytes, { 'Content-Type': 'application/pdf' })).body).to.deep.include({ status: 'revoked', signature: { valid: true } });

    const housing = await errand.signIn('clerk-housing');
    const application = await errand.api(citizen, 'POST', '/cases', { serviceId: 'public-rental-housing', form: { householdSize: 2, monthlyIncome: 4200, currentAddress: FORM.residenceAddress } });
    const housingCase = String(application.body.caseId);
    await errand.api(citizen, 'POST', `/cases/${housingCase}/submit`, {});
    expect((await errand.api(housing, 'POST', `/cases/${housingCase}/accept`, {})).status).to.equal(200);
    const settled = await until('the permit material settled', async () => {
      const v = (await errand.api(housing, 'GET', `/cases/${housingCase}`)).body;
      const entry = (v.evidence as Record<string, Json>)['residence-permit'];
      return entry && entry.status !== 'requested' ? entry : null;
    }, 40_000);
    expect((settled.fields as Json | null)?.certificateNumber).to.not.equal(certificateNo);
  });
});

describe('certificate expiry is an event and honoured as evidence (embedded default, simulated clock)', function () {
  this.timeout(240_000);
  let errand: RunningErrand;
  const clock = new SimulatedClock(new Date());

  before(async () => {
    errand = await startErrand('certificates-expiry', { clock, embedded: true });
  });
  after(async () => errand?.stop());

  it('a residence permit past its validity: the sweep records CertificateExpired once, it verifies as expired, and is not reused as evidence', async () => {
    const citizen = await errand.signIn('citizen-dirty-record');
    const psb = await errand.signIn('clerk-psb');
    const { view } = await permitCase(errand, citizen, psb);
    const certificate = view.certificate as { certificateNo: string; validUntil: string };
    await verified(errand, certificate.certificateNo, '', 'valid');
    clock.advance(400 * 24 * 3600 * 1000);
    // Nobody asks: the worker's daily sweep records the expiry by itself.
    await until('CertificateExpired recorded by the sweep', async () => {
      const recorded = await errand.engine.stores.eventStore.readStream(certificateStream(certificate.certificateNo));
      return recorded.length > 0 ? recorded : null;
    }, 40_000);
    const expired = await errand.api(null, 'GET', `/certificates/${certificate.certificateNo}/verify`);
    expect(expired.body, JSON.stringify(expired.body)).to.include({ status: 'expired' });
    await errand.api(null, 'GET', `/certificates/${certificate.certificateNo}/verify`);
    const events = await errand.engine.stores.eventStore.readStream(certificateStream(certificate.certificateNo));
    expect(events.map((e) => e.type)).to.deep.equal(['CertificateExpired']);
    expect(events[0]!.data).to.include({ certificateNo: certificate.certificateNo, validUntil: certificate.validUntil });

    const housing = await errand.signIn('clerk-housing');
    const application = await errand.api(citizen, 'POST', '/cases', { serviceId: 'public-rental-housing', form: { householdSize: 2, monthlyIncome: 4200, currentAddress: FORM.residenceAddress } });
    const housingCase = String(application.body.caseId);
    await errand.api(citizen, 'POST', `/cases/${housingCase}/submit`, {});
    expect((await errand.api(housing, 'POST', `/cases/${housingCase}/accept`, {})).status).to.equal(200);
    const settled = await until('the permit material settled', async () => {
      const v = (await errand.api(housing, 'GET', `/cases/${housingCase}`)).body;
      const entry = (v.evidence as Record<string, Json>)['residence-permit'];
      return entry && entry.status !== 'requested' ? entry : null;
    }, 60_000);
    expect((settled.fields as Json | null)?.certificateNumber).to.not.equal(certificate.certificateNo);
  });
});

describe('certificate numbers: new ones unguessable, those issued before still verify (embedded default)', function () {
  this.timeout(240_000);
  let errand: RunningErrand;
  let citizen: string;
  let psb: string;

  before(async () => {
    errand = await startErrand('certificate-numbers', { embedded: true });
    citizen = await errand.signIn('citizen-dirty-record');
    psb = await errand.signIn('clerk-psb');
  });
  after(async () => errand?.stop());

  it('given a certificate issued now, then its number is grouped random characters with a check character, and a mistyped one is a 400 problem, not "unknown"', async () => {
    const { view } = await permitCase(errand, citizen, psb);
    const number = (view.certificate as { certificateNo: string }).certificateNo;
    expect(number).to.match(/^RESIDENCE-PERMIT-\d{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}-[0-9A-HJKMNP-TV-Z]$/);
    expect(number).to.not.contain(String(view.caseId).replace(/-/g, '').slice(0, 12).toUpperCase());
    await verified(errand, number, '', 'valid');
    // Typed with O for 0 and I for 1 (letters its alphabet leaves out), it is the same certificate; the page upper-cases.
    const loose = number.replace(/-\d{4}(-[0-9A-Z]{4}){5}-[0-9A-Z]$/, (tail) => tail.replace(/0/g, 'O').replace(/1/g, 'I'));
    expect(loose).to.not.equal(number);
    expect((await verified(errand, loose, '', 'valid')).body.certificateNo).to.equal(number);
    // One character changed: the check character tells the verifier it was mistyped.
    const last = number.at(-1) === '0' ? '1' : '0';
    const typo = await errand.api(null, 'GET', `/certificates/${number.slice(0, -1)}${last}/verify`);
    expect(typo.status).to.equal(400);
    expect(typo.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(typo.body).to.include({ title: 'Mistyped certificate number' });
    expect(String(typo.body.detail)).to.match(/mistyped/);
  });

  it('given a certificate issued under the earlier number form (12 hex digits of the case id), then it still projects, verifies, checks its signature and revokes by that number', async () => {
    const { caseId } = await permitCase(errand, citizen, psb, { certify: false });
    // The event as the earlier version wrote it: the number is what the event says, whatever form it has.
    const stored = await errand.engine.stores.eventStore.readStream(caseStream(caseId));
    const last = stored.at(-1)!;
    const issuedOn = String(last.metadata.occurredAt).slice(0, 10);
    const oldNumber = `RESIDENCE-PERMIT-${issuedOn.slice(0, 4)}-${caseId.replace(/-/g, '').slice(0, 12).toUpperCase()}`;
    const holder = (stored.find((e) => e.type === 'ApplicationDrafted')!.data as { applicant: Json }).applicant;
    await errand.engine.stores.eventStore.append(caseStream(caseId), [{
      type: 'CertificateIssued',
      data: { certificateNo: oldNumber, certificateType: 'residence-permit', issuedOn, validUntil: `${Number(issuedOn.slice(0, 4)) + 1}${issuedOn.slice(4)}`, holder },
      metadata: { eventId: eventIdFor(`legacy-${caseId}`, 0), schemaVersion: 1, occurredAt: last.metadata.occurredAt, correlationId: `legacy-${caseId}`, causationId: `legacy-${caseId}`, actor: last.metadata.actor, commandId: `legacy-${caseId}` },
    }], { expectedRevision: last.revision });

    const view = await until('the earlier-form certificate in the case view', async () => {
      const v = (await errand.api(citizen, 'GET', `/cases/${caseId}`)).body;
      return (v.certificate as { certificateNo?: string } | null)?.certificateNo === oldNumber ? v : null;
    }, 40_000);
    expect(view.status).to.equal('certificateIssued');
    await verified(errand, oldNumber, '', 'valid');
    const signed = await errand.api(citizen, 'GET', `/cases/${caseId}/certificate`);
    expect(signed.status, JSON.stringify(signed.body)).to.equal(200);
    expect(signed.body.credential).to.include({ certificateNo: oldNumber });
    const checked = await errand.api(null, 'POST', `/certificates/${oldNumber}/verify`, { credential: signed.body.credential, signature: signed.body.signature });
    expect(checked.body).to.deep.include({ certificateNo: oldNumber, status: 'valid', signature: { valid: true } });
    const pdf = await download(errand, citizen, `/cases/${caseId}/certificate/document`);
    const document = await errand.api(null, 'POST', `/certificates/${oldNumber}/verify/document`, pdf.bytes, { 'Content-Type': 'application/pdf' });
    expect(document.body).to.deep.include({ status: 'valid', signature: { valid: true } });
    const revoked = await errand.api(psb, 'POST', `/certificates/${oldNumber}/revocation`, { reason: '证照信息有误' });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
    await verified(errand, oldNumber, '', 'revoked');
  });
});
