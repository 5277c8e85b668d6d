import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { screenshot, screenshotDir, startBrowserErrand, WAIT, type BrowserErrand } from '../support/browser.ts';
import { until } from '../support/http-engine.ts';
import { pdfText } from '../support/pdf-text.ts';

const SHOTS = screenshotDir();

describe('browser: notices and the electronic certificate on the case pages, and the public verification page', function () {
  this.timeout(180_000);
  let errand: BrowserErrand;
  let caseId: string;
  let certificateNo: string;
  let receiptNo: string;

  before(async () => {
    errand = await startBrowserErrand('br_documents');
    const citizen = await errand.token('citizen-dirty-record');
    const psb = await errand.token('clerk-psb');
    caseId = await errand.submittedCase(citizen, { acceptAs: psb });
    await until('the case in review', async () => ((await errand.api(psb, 'GET', `/cases/${caseId}`)).body.status === 'review' ? true : null), WAIT);
    expect((await errand.api(psb, 'POST', `/cases/${caseId}/approve`, {})).status).to.equal(200);
    expect((await errand.api(psb, 'POST', `/cases/${caseId}/certificate`, {})).status).to.equal(200);
    const view = (await errand.api(citizen, 'GET', `/cases/${caseId}`)).body as { certificate: { certificateNo: string }; receiptNo: string };
    certificateNo = view.certificate.certificateNo;
    receiptNo = view.receiptNo;
    // The public page finds a certificate through the case projection: wait until it has caught up.
    await until('the certificate known to verification', async () => ((await fetch(`${errand.baseUrl}/api/v1/certificates/${certificateNo}/verify`).then((r) => r.json())) as { status: string }).status === 'valid' || null, WAIT);
  });
  after(async () => errand?.stop());

  it('the citizen downloads the acceptance receipt and a certificate whose QR code shows their name; the QR link opens the public page, which shows it valid with that name', async () => {
    const { page } = await errand.person({ lang: 'en' });
    await errand.signIn(page, 'citizen-dirty-record');
    await page.goto(`/citizen/cases/${caseId}`);
    const card = page.locator('#documents');
    await card.waitFor();
    expect(await card.locator('button[data-notice]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-notice')))).to.deep.equal(['acceptance', 'decision']);
    const [receipt] = await Promise.all([page.waitForEvent('download'), card.locator('button[data-notice="acceptance"]').click()]);
    expect(receipt.suggestedFilename()).to.equal('Acceptance receipt.pdf');
    expect((await pdfText(await readFile((await receipt.path())!))).text).to.contain('受理通知书').and.to.contain(receiptNo);

    await page.locator('#certificate-status[data-status="valid"]').waitFor();
    expect(await card.locator('#revoke-form').count()).to.equal(0);
    await page.locator('#disclose-name').check();
    const [certificate] = await Promise.all([page.waitForEvent('download'), page.locator('#certificate-pdf').click()]);
    expect(certificate.suggestedFilename()).to.equal(`${certificateNo}.pdf`);
    const pdf = await readFile((await certificate.path())!);
    const { links, text } = await pdfText(pdf);
    expect(text).to.contain(certificateNo);
    const qr = new URL(links[0]!);
    expect(qr.pathname).to.equal('/verify');
    expect(qr.searchParams.get('t')).to.be.a('string');
    expect(await page.locator('#case-error [role="alert"]').count()).to.equal(0);
    await screenshot(page, join(SHOTS, 'citizen-documents.png'));

    // Someone else, signed in nowhere, follows the QR code.
    const verifier = await errand.person({ lang: 'en' });
    await verifier.page.goto(`${qr.pathname}${qr.search}`);
    await verifier.page.locator('#verdict').waitFor();
    expect(await verifier.page.locator('#verdict').getAttribute('data-status')).to.equal('valid');
    expect(await verifier.page.locator('#verify-status').textContent()).to.equal('Valid');
    const shown = (await verifier.page.locator('#verdict').textContent()) ?? '';
    expect(shown).to.contain('Holder').and.to.contain('Residence permit');
    expect(shown).to.not.contain('ID number');

    // The same page checks a file: the downloaded PDF is intact, a changed copy is not.
    await verifier.page.locator('#verify-file').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: pdf });
    await verifier.page.locator('#verify-file-submit').click();
    await verifier.page.locator('#verify-signature[data-valid="true"]').waitFor();
    const tampered = Buffer.from(pdf);
    const at = tampered.indexOf('stream\n') + 50;
    tampered[at] = tampered[at]! ^ 0x01;
    await verifier.page.locator('#verify-file').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: tampered });
    await verifier.page.locator('#verify-file-submit').click();
    await verifier.page.locator('#verify-signature[data-valid="false"]').waitFor();
    await screenshot(verifier.page, join(SHOTS, 'verify-tampered.png'));
    expect(errand.pageErrors).to.deep.equal([]);
  });

  it('typing a number on the public page shows its status only; an unknown number says so', async () => {
    const { page } = await errand.person();
    await page.goto('/verify');
    await page.locator('#verify-number').fill(certificateNo);
    await page.locator('#verify-form button[type="submit"]').click();
    await page.locator('#verdict[data-status="valid"]').waitFor();
    expect(await page.locator('#verify-status').textContent()).to.equal('有效');
    expect((await page.locator('#verdict').textContent()) ?? '').to.not.contain('持证人');
    await page.locator('#verify-number').fill('NO-SUCH-2026-000000000000');
    await page.locator('#verify-form button[type="submit"]').click();
    await page.locator('#verdict[data-status="unknown"]').waitFor();
    expect(errand.pageErrors).to.deep.equal([]);
  });

  it('the clerk downloads the decision letter from the case page, and the applicant sees that use of their data', async () => {
    const { page } = await errand.person({ lang: 'en' });
    await errand.signIn(page, 'clerk-psb');
    await page.goto(`/clerk/cases/${caseId}`);
    const card = page.locator('#documents');
    await card.waitFor();
    expect((await card.textContent()) ?? '').to.contain('recorded in the applicant');
    expect(await card.locator('#disclose-name').count()).to.equal(0);
    const [letter] = await Promise.all([page.waitForEvent('download'), card.locator('button[data-notice="decision"]').click()]);
    expect((await pdfText(await readFile((await letter.path())!))).text).to.contain('准予行政许可决定书').and.to.contain(certificateNo);
    const citizen = await errand.token('citizen-dirty-record');
    await until('the download in the data-use log', async () => {
      const uses = await errand.api(citizen, 'GET', '/me/data-use');
      return (uses.body.items as Array<Record<string, unknown>>).some((u) => u.caseId === caseId && u.channel === 'notice') || null;
    }, WAIT);

    // An approver of the issuing department revokes the certificate from the same card; its status follows.
    await page.locator('#certificate-status[data-status="valid"]').waitFor();
    await card.locator('details.revoke summary').click();
    await page.locator('#revoke-reason').fill('Obtained with a forged lease');
    await page.locator('#revoke-form button[type="submit"]').click();
    await page.locator('#certificate-status[data-status="revoked"]').waitFor();
    expect(await page.locator('#certificate-status').textContent()).to.equal('Revoked');
    const verdict = (await fetch(`${errand.baseUrl}/api/v1/certificates/${certificateNo}/verify`).then((r) => r.json())) as { status: string };
    expect(verdict.status).to.equal('revoked');
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
