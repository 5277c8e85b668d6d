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

/** A certificate's status today from its own events (revoked, expired), e.g. the certificate registry's `state`. */
export type CertificateStatusOf = (view: CaseView) => Promise<{ status: 'valid' | 'revoked' | 'expired' }>;

/** How many of a holder's certificates of one type are looked through for one still valid. */
const CANDIDATES = 10;

/**
 * Certificates Errand issued itself, reused as evidence by later services (电子证照): the newest of the type held by
 * the subject that is still valid (not revoked, by the case or by a CertificateRevoked event, and not expired), with
 * the data item's fields filled from the certificate, the application form and the evidence the case was decided
 * on. Falls back to `fallback` (the demo library's pre-existing certificates) when the subject holds none valid.
 */
export function issuedCertificateLookup(readStore: ReadStore, catalogue: DataCatalogue, fallback?: CertificateLookup, statusOf?: CertificateStatusOf): CertificateLookup {
  return async (certificateType, holderId) => {
    const collection = await activeCollection(readStore, CASE_VIEW_PROJECTION, CASE_VIEW, { fallbackVersion: 1 });
    const { items } = await readStore.find(collection, {
      where: { applicantId: holderId, 'certificate.certificateType': certificateType, revocation: null },
      orderBy: [{ field: 'certificate.issuedOn', direction: 'desc' }],
      limit: statusOf ? CANDIDATES : 1,
    });
    let view: CaseView | undefined;
    for (const candidate of items as unknown as CaseView[]) {
      if (!statusOf || (await statusOf(candidate)).status === 'valid') {
        view = candidate;
        break;
      }
    }
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
