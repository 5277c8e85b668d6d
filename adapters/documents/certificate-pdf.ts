/**
 * The printable electronic certificate: what was issued, the issuing department's seal, a QR code holding the
 * verification URL (with the holder's disclosure token when they chose to show something), and the URL in text for
 * those who type it. The PDF carries its credential and signature (sealed-pdf.ts).
 */
import { canonicalJson } from '../../domain/json/canonical-json.ts';
import type { CertificateCredential, SignedDocumentClaim } from '../../domain/certificates/certificate.ts';
import { createPdf, drawQr, drawSeal } from './pdf.ts';
import { sealPdf, sealPlaceholders } from './sealed-pdf.ts';

export interface CertificatePdfInput {
  credential: CertificateCredential;
  /** What the QR code holds and the printed address links to: the verification page with the holder's token, if any. */
  verificationUrl: string;
  /** The address printed for people to type: the same page without the token (status only). */
  printedUrl: string;
  sign: (claim: SignedDocumentClaim) => Promise<string>;
}

export async function renderCertificatePdf(input: CertificatePdfInput): Promise<Buffer> {
  const { credential } = input;
  const { doc, finish } = createPdf({
    title: `${credential.name['zh-CN']} ${credential.certificateNo}`,
    subject: `${credential.name.en} issued by ${credential.issuer.name.en}`,
    date: credential.issuedOn,
    info: { CertificateNo: credential.certificateNo, ...sealPlaceholders(credential, canonicalJson) },
  });
  const width = doc.page.width - 144;
  doc.lineWidth(2).rect(48, 48, doc.page.width - 96, doc.page.height - 96).stroke('#8b0000');
  doc.fillColor('black').fontSize(13).text('电子证照 Electronic certificate', 72, 84, { width, align: 'center' });
  doc.moveDown(0.6).fontSize(30).text(credential.name['zh-CN'], { width, align: 'center' });
  doc.fontSize(14).text(credential.name.en, { width, align: 'center' });
  doc.moveDown(1.5);
  const rows: Array<[string, string]> = [
    ['证照编号 Certificate number', credential.certificateNo],
    [credential.holder.type === 'person' ? '持证人 Holder' : '持证单位 Holder', credential.holder.name ?? '—'],
    [credential.holder.type === 'person' ? '公民身份号码 Citizen ID' : '统一社会信用代码 Credit code', credential.holder.id],
    ['颁发机关 Issued by', `${credential.issuer.name['zh-CN']} ${credential.issuer.name.en}`],
    ['颁发日期 Issued on', credential.issuedOn],
    ['有效期至 Valid until', credential.validUntil ?? '长期有效 No expiry'],
  ];
  doc.fontSize(13);
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.fillColor('#444444').text(label, 90, y, { width: 200 });
    doc.fillColor('black').text(value, 300, y, { width: width - 228 });
    doc.moveDown(0.8);
  }
  drawSeal(doc, credential.issuer.name['zh-CN'], doc.page.width - 170, 560, 62);
  doc.fontSize(11).fillColor('black').text(`${credential.issuer.name['zh-CN']}（电子印章）`, doc.page.width - 300, 640, { width: 260, align: 'center' });
  drawQr(doc, input.verificationUrl, 84, 584, 112);
  doc.fontSize(10).text('扫描二维码或访问以下网址核验本证照 Scan the code or visit this address to verify:', 84, 702, { width });
  doc.fontSize(9).text(input.printedUrl, 84, doc.y + 2, { width, link: input.verificationUrl });
  doc.fontSize(9).fillColor('#444444').text(
    `本电子证照由${credential.issuer.name['zh-CN']}签发并加盖电子签名，与纸质证照具有同等法律效力。任何改动都会使签名失效。 Signed by the issuing department; any change to this file invalidates its signature.`,
    84,
    748,
    { width },
  );
  const unsigned = await finish();
  return sealPdf(unsigned, credential, input.sign);
}
