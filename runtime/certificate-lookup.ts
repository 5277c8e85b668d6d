import type { DataCatalogue } from '../domain/catalogue/index.ts';
import { activeCollection } from '../projections/index.ts';
import { CASE_VIEW, CASE_VIEW_PROJECTION, type CaseView } from '../projections/views/case-view/index.ts';
import type { CertificateLookup } from '../adapters/evidence/index.ts';
import type { ReadStore } from '../domain/ports/read-store.ts';

/** Item fields that come from the certificate itself rather than from the form or the case's evidence. */
function certificateFields(view: CaseView): Record<string, unknown> {
  const certificate = view.certificate!;
  const holder = view.applicant.type === 'person' ? { holderCitizenId: view.applicant.id } : { creditCode: view.applicant.id };
  const evidenceName = Object.values(view.evidence).map((e) => e.fields?.name ?? e.fields?.enterpriseName).find((v) => v !== undefined);
  return {
    certificateNumber: certificate.certificateNo,
    issuedOn: certificate.issuedOn,
    validUntil: certificate.validUntil,
    holderName: evidenceName,
    name: evidenceName,
    ...holder,
  };
}

/**
 * Certificates Errand issued itself, reused as evidence by later services (电子证照): the newest unrevoked one of
 * the type held by the subject, with the data item's fields filled from the certificate, the application form and
 * the evidence the case was decided on. Falls back to `fallback` (the demo library's pre-existing certificates).
 */
export function issuedCertificateLookup(readStore: ReadStore, catalogue: DataCatalogue, fallback?: CertificateLookup): CertificateLookup {
  return async (certificateType, holderId) => {
    const collection = await activeCollection(readStore, CASE_VIEW_PROJECTION, CASE_VIEW, { fallbackVersion: 1 });
    const { items } = await readStore.find(collection, {
      where: { applicantId: holderId, 'certificate.certificateType': certificateType, revocation: null },
      orderBy: [{ field: 'certificate.issuedOn', direction: 'desc' }],
      limit: 1,
    });
    const view = items[0] as unknown as CaseView | undefined;
    const item = catalogue.list().find((candidate) => candidate.certificateType === certificateType);
    if (!view?.certificate || !item) return fallback ? fallback(certificateType, holderId) : null;
    const known = certificateFields(view);
    const evidence = Object.values(view.evidence).map((e) => e.fields ?? {});
    const fields: Record<string, unknown> = {};
    for (const { name } of item.fields) {
      const value = known[name] ?? view.form[name] ?? evidence.map((e) => e[name]).find((v) => v !== undefined);
      if (value !== undefined) fields[name] = value;
    }
    return fields;
  };
}
