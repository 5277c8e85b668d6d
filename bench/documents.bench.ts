/**
 * Printing cost: a certificate PDF rendered and sealed, a sealed PDF verified, and a notice rendered, against the
 * same run's baseline of signing the credential alone (signJson, ES256). `npm run bench -- documents`.
 */
import { renderCertificatePdf } from '../adapters/documents/certificate-pdf.ts';
import { noticeContent, renderNoticePdf } from '../adapters/documents/notices.ts';
import { verifySealedPdf } from '../adapters/documents/sealed-pdf.ts';
import { generateSigningKey, publicKeySet, resolveSigningKey, signJson } from '../adapters/jose/index.ts';
import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import type { CaseView } from '../projections/views/case-view/index.ts';
import { loadServiceCatalogue, loadDataCatalogue } from '../adapters/files/index.ts';
import { SAMPLE_CREDENTIAL as credential } from '../test/support/certificate-fixtures.ts';


async function rate(label: string, count: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const perSecond = count / seconds;
  console.log(`${label.padEnd(44)} ${perSecond.toFixed(1).padStart(9)} /s  (${((seconds / count) * 1000).toFixed(1)} ms each)`);
  return perSecond;
}

export async function run(): Promise<void> {
  const key = generateSigningKey('PSB-bench');
  const signing = resolveSigningKey(key);
  const keys = publicKeySet({ [key.kid]: key.publicKey });
  const render = () => renderCertificatePdf({ credential, verificationUrl: 'http://127.0.0.1:3000/verify?no=X&t=token', printedUrl: 'http://127.0.0.1:3000/verify?no=X', sign: (claim) => signJson(claim, signing) });
  const pdf = await render();
  const service = loadServiceCatalogue(loadDataCatalogue()).latest('residence-permit') as ServiceDefinition;
  const view = {
    caseId: '00000000-0000-4000-8000-000000000000', applicant: { type: 'person', id: credential.holder.id }, evidence: {}, form: {}, submittedOn: '2026-03-01', draftedAt: '2026-03-01T00:00:00Z',
    receiptNo: 'R-20260302-00000000', acceptedOn: '2026-03-02', deemedAccepted: false, missingNonKey: [], obligations: [], due: { statutory: '2026-03-30', promised: '2026-03-16' }, limits: { calendar: 'CN', dayKind: 'working' },
  } as unknown as CaseView;
  const content = noticeContent('acceptance', view, service, '市公安局')!;

  const baseline = await rate('baseline: sign the credential (ES256)', 200, () => signJson(credential, signing));
  const rows: Array<[string, number]> = [
    ['certificate PDF rendered and sealed', await rate('certificate PDF rendered and sealed', 20, render)],
    ['sealed PDF verified', await rate('sealed PDF verified', 100, () => verifySealedPdf(pdf, keys))],
    ['acceptance receipt rendered', await rate('acceptance receipt rendered', 20, () => renderNoticePdf(content))],
  ];
  console.log(`\nPDF size ${pdf.length} bytes`);
  for (const [label, perSecond] of rows) console.log(`${label.padEnd(44)} ${(perSecond / baseline).toFixed(4)}x baseline`);
}
