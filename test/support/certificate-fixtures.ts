import type { CertificateCredential } from '../../domain/certificates/certificate.ts';

/** One residence permit as issued: the credential the certificate document, registry and bench render and sign. */
export const SAMPLE_CREDENTIAL: CertificateCredential = {
  type: 'ErrandCertificate',
  version: 1,
  certificateNo: 'RESIDENCE-PERMIT-2026-ABCDEF123456',
  certificateType: 'residence-permit',
  name: { 'zh-CN': '居住证', en: 'Residence permit' },
  issuer: { department: 'PSB', name: { 'zh-CN': '市公安局', en: 'Public Security Bureau' } },
  serviceId: 'residence-permit',
  issuedOn: '2026-03-02',
  validUntil: '2027-03-02',
  holder: { type: 'person', id: '110101199003074578', name: '张三' },
};
