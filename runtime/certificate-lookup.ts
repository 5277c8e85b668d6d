import type { DataCatalogue } from '../domain/catalogue/index.ts';
import { activeCollection, projectionCheckpoint } from '../projections/index.ts';
import { compareCheckpoints } from '../domain/events/index.ts';
import type { EventStore } from '../domain/ports/event-store.ts';
import { CASE_VIEW, CASE_VIEW_PROJECTION, CASE_VIEW_VERSION, type CaseView } from '../projections/views/case-view/index.ts';
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
/**
 * Waits (at most `timeoutMs`) until the case view has caught up with the log as it is now, so a certificate issued
 * just before the request is found: without it, a citizen applying for the next service straight after getting a
 * permit would have the older certificate from the library reused (the view lags the log by a moment).
 */
export function caseViewCaughtUp(readStore: ReadStore, eventStore: Pick<EventStore, 'head'>, timeoutMs = 5000): () => Promise<void> {
  return async () => {
    const head = (await eventStore.head?.()) ?? null;
    if (head === null) return;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const checkpoint = await projectionCheckpoint(readStore, CASE_VIEW_PROJECTION);
      if (checkpoint && compareCheckpoints(checkpoint, head) >= 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
}

export function issuedCertificateLookup(
  readStore: ReadStore,
  catalogue: DataCatalogue,
  fallback?: CertificateLookup,
  statusOf?: CertificateStatusOf,
  caughtUp?: () => Promise<void>,
): CertificateLookup {
  return async (certificateType, holderId) => {
    await caughtUp?.();
    const collection = await activeCollection(readStore, CASE_VIEW_PROJECTION, CASE_VIEW, { fallbackVersion: CASE_VIEW_VERSION });
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
