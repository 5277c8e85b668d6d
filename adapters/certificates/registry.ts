/**
 * Issued certificates as signed documents: the credential of a case's certificate, signed by the issuing department
 * (adapters/jose through certificate keys), its PDF, holder disclosure tokens, verification, revocation and expiry.
 *
 * What was issued comes from the case (its CertificateIssued, via the case view); what happened to the certificate
 * since comes from its own stream (domain/certificates). The registry records `CertificateExpired` the first time it
 * finds a certificate past its validity, once (the append expects the stream's current revision).
 */
import type { DataCatalogue, ServiceDefinition } from '../../domain/catalogue/index.ts';
import {
  CERTIFICATE_EXPIRED,
  CERTIFICATE_REVOKED,
  certificateState,
  certificateStream,
  disclosed,
  disclosureClaims,
  readDisclosureClaims,
  type CertificateCredential,
  type CertificateLifecycleEvent,
  type CertificateState,
  type Disclosable,
  type DisclosureClaims,
} from '../../domain/certificates/certificate.ts';
import { localDate } from '../../domain/calendar/index.ts';
import type { Actor } from '../../domain/events/index.ts';
import { isWrongExpectedVersion, WrongExpectedVersionError } from '../../domain/events/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { activeCollection } from '../../projections/index.ts';
import { CASE_VIEW, CASE_VIEW_PROJECTION, CASE_VIEW_VERSION, type CaseView } from '../../projections/views/case-view/index.ts';
import { eventIdFor, IdempotencyKeyReusedError } from '../../workflows/index.ts';
import { ERASED } from '../../domain/privacy/personal-data.ts';
import { applicantNameOf } from '../documents/case-names.ts';
import { renderCertificatePdf } from '../documents/certificate-pdf.ts';
import { verifySealedPdf } from '../documents/sealed-pdf.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { signJson, signJwt, verifyJson, verifyJwt } from '../jose/index.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { createCertificateKeys, type CertificateKeys } from './keys.ts';

export interface CertificateRegistryOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  services: { get(id: string, version: number): ServiceDefinition | undefined };
  dataCatalogue: DataCatalogue;
  dataDir: string;
  timeZone: string;
  clock: Clock;
  keys?: CertificateKeys;
  /**
   * Whether the case's personal data is erased (its keys shredded). The stored case view keeps clear values until its
   * rebuild after the shredding: what a holder's token discloses is checked against this first.
   */
  caseErased?: (caseId: string) => Promise<boolean>;
}

/** A verification's answer: the status, what anyone may know, and what the holder chose to show. */
export interface CertificateVerdict {
  certificateNo: string;
  status: 'valid' | 'revoked' | 'expired' | 'unknown';
  certificate?: {
    certificateType: string;
    name: { 'zh-CN': string; en: string };
    issuer: { department: string; name: { 'zh-CN': string; en: string } };
    issuedOn: string;
    validUntil: string | null;
  };
  revokedOn?: string;
  disclosed?: Partial<Record<Disclosable, string>>;
}

export type SignatureCheck = { ok: true; department: string } | { ok: false; reason: string };

export function createCertificateRegistry(options: CertificateRegistryOptions) {
  const keys = options.keys ?? createCertificateKeys(options.dataDir);
  const today = () => localDate(options.clock.now(), options.timeZone);

  const departmentName = (code: string) => options.dataCatalogue.department(code)?.name ?? { 'zh-CN': code, en: code };

  /** The certificate's lifecycle events, and the stream revision to append after. */
  async function lifecycle(certificateNo: string): Promise<{ events: CertificateLifecycleEvent[]; revision: bigint | 'no_stream' }> {
    const recorded = await options.eventStore.readStream(certificateStream(certificateNo));
    const events = recorded.filter((e) => e.type === CERTIFICATE_REVOKED || e.type === CERTIFICATE_EXPIRED) as unknown as CertificateLifecycleEvent[];
    return { events, revision: recorded.length === 0 ? 'no_stream' : recorded.at(-1)!.revision };
  }

  async function append(certificateNo: string, type: string, data: Record<string, unknown>, actor: Actor, commandId: string, expected: bigint | 'no_stream'): Promise<void> {
    await options.eventStore.append(
      certificateStream(certificateNo),
      [{ type, data, metadata: { eventId: eventIdFor(commandId, 0), schemaVersion: 1, occurredAt: options.clock.now().toISOString(), correlationId: commandId, causationId: null, actor, commandId } }],
      { expectedRevision: expected },
    );
  }

  const registry = {
    keys,

    /** The stored case view holding this certificate (the case view projection; may trail an issue by its lag). */
    async findCase(certificateNo: string): Promise<CaseView | null> {
      const collection = await activeCollection(options.readStore, CASE_VIEW_PROJECTION, CASE_VIEW, { fallbackVersion: CASE_VIEW_VERSION });
      const { items } = await options.readStore.find(collection, { where: { 'certificate.certificateNo': certificateNo }, limit: 1 });
      return (items[0] as unknown as CaseView | undefined) ?? null;
    },

    /** The certificate's status today; an expiry not yet recorded is recorded now (once). */
    async state(view: CaseView): Promise<CertificateState> {
      const certificate = view.certificate!;
      const { events, revision } = await lifecycle(certificate.certificateNo);
      const state = certificateState({ validUntil: certificate.validUntil, caseRevocation: view.revocation }, events, today());
      if (state.status === 'expired' && !state.expiryRecorded && certificate.validUntil) {
        try {
          await append(
            certificate.certificateNo,
            CERTIFICATE_EXPIRED,
            { certificateNo: certificate.certificateNo, validUntil: certificate.validUntil, recordedOn: today() },
            { kind: 'system', id: 'certificates' },
            `certificate-expired/${certificate.certificateNo}`,
            revision,
          );
        } catch (error) {
          // Another reader recorded it (or something else) first: the stream now says so either way.
          if (!(error instanceof WrongExpectedVersionError)) throw error;
        }
      }
      return state;
    },

    credentialOf(view: CaseView): CertificateCredential {
      const certificate = view.certificate;
      if (!certificate || !view.department) throw new Error(`case ${view.caseId} has no certificate`);
      const service = options.services.get(view.serviceId, view.serviceVersion);
      return {
        type: 'ErrandCertificate',
        version: 1,
        certificateNo: certificate.certificateNo,
        certificateType: certificate.certificateType,
        name: service?.outcome.name ?? { 'zh-CN': certificate.certificateType, en: certificate.certificateType },
        issuer: { department: view.department, name: departmentName(view.department) },
        serviceId: view.serviceId,
        issuedOn: certificate.issuedOn,
        validUntil: certificate.validUntil,
        holder: { type: view.applicant.type, id: view.applicant.id, name: applicantNameOf(view) },
      };
    },

    /** The credential with its detached JWS, signed by the issuing department's key. */
    async signedCredential(view: CaseView): Promise<{ credential: CertificateCredential; signature: string }> {
      const credential = registry.credentialOf(view);
      return { credential, signature: await signJson(credential, keys.signing(credential.issuer.department)) };
    },

    /** A signature check that also requires the signing key to be the issuing department's own. */
    async checkCredential(credential: unknown, signature: string): Promise<SignatureCheck> {
      const department = (credential as Partial<CertificateCredential> | null)?.issuer?.department;
      if (typeof department !== 'string') return { ok: false, reason: 'the credential names no issuing department' };
      let trusted = keys.trusted();
      let verdict = await verifyJson(credential, signature, trusted.keys);
      if (!verdict.ok && verdict.failure.code === 'unknown-kid') {
        trusted = keys.trusted(true);
        verdict = await verifyJson(credential, signature, trusted.keys);
      }
      if (!verdict.ok) return { ok: false, reason: verdict.failure.code === 'signature' ? 'the credential was changed after it was signed' : verdict.reason };
      if (trusted.departmentOf.get(verdict.kid) !== department) return { ok: false, reason: `signed by a key that is not ${department}'s` };
      return { ok: true, department };
    },

    async disclosureToken(credential: CertificateCredential, fields: readonly Disclosable[]): Promise<string> {
      return signJwt({ ...disclosureClaims(credential.certificateNo, fields) }, keys.signing(credential.issuer.department));
    },

    /** The holder's choice in a token, or why the token is refused: it must be signed by the issuing department. */
    async readDisclosure(token: string, certificateNo: string, issuer: string | null): Promise<DisclosureClaims | string> {
      let trusted = keys.trusted();
      let verdict = await verifyJwt(token, trusted.keys);
      if (!verdict.ok && verdict.failure.code === 'unknown-kid') {
        trusted = keys.trusted(true);
        verdict = await verifyJwt(token, trusted.keys);
      }
      if (!verdict.ok) return 'the disclosure token does not verify';
      const claims = readDisclosureClaims(verdict.payload, certificateNo);
      if (typeof claims === 'string') return claims;
      if (issuer === null || trusted.departmentOf.get(verdict.kid ?? '') !== issuer) return 'the disclosure token was not signed by the certificate\'s issuer';
      return claims;
    },

    /** The sealed PDF; `url` builds the verification page's address for a disclosure token (null: none). */
    async pdf(view: CaseView, url: (token: string | null) => string, disclose: readonly Disclosable[] = []): Promise<Buffer> {
      const credential = registry.credentialOf(view);
      const signing = keys.signing(credential.issuer.department);
      const token = disclose.length > 0 ? await registry.disclosureToken(credential, disclose) : null;
      return renderCertificatePdf({ credential, verificationUrl: url(token), printedUrl: url(null), sign: (claim) => signJson(claim, signing) });
    },

    /** Whether PDF bytes are a certificate sealed by its issuer and unchanged, and which certificate they carry. */
    async checkPdf(bytes: Uint8Array): Promise<{ ok: true; credential: CertificateCredential } | { ok: false; reason: string }> {
      let trusted = keys.trusted();
      let verdict = await verifySealedPdf(bytes, trusted.keys);
      if (!verdict.ok && /unknown|kid/.test(verdict.reason)) {
        trusted = keys.trusted(true);
        verdict = await verifySealedPdf(bytes, trusted.keys);
      }
      if (!verdict.ok) return verdict;
      const department = verdict.claim.credential.issuer?.department;
      if (trusted.departmentOf.get(verdict.kid) !== department) return { ok: false, reason: `signed by a key that is not ${String(department)}'s` };
      return { ok: true, credential: verdict.claim.credential };
    },

    /** What anyone may learn about a certificate number, plus the fields a valid holder's token discloses. */
    async verdict(certificateNo: string, disclose: readonly Disclosable[] = []): Promise<CertificateVerdict> {
      const view = await registry.findCase(certificateNo);
      if (!view?.certificate || !view.department) return { certificateNo, status: 'unknown' };
      const state = await registry.state(view);
      const credential = registry.credentialOf(view);
      const verdict: CertificateVerdict = {
        certificateNo,
        status: state.status,
        certificate: { certificateType: credential.certificateType, name: credential.name, issuer: credential.issuer, issuedOn: credential.issuedOn, validUntil: credential.validUntil },
      };
      if (state.revokedOn) verdict.revokedOn = state.revokedOn;
      if (disclose.length > 0) {
        const erased = (await options.caseErased?.(view.caseId)) ?? false;
        verdict.disclosed = erased ? Object.fromEntries(disclose.map((field) => [field, ERASED])) : disclosed(credential, disclose);
      }
      return verdict;
    },

    /**
     * Withdraws a certificate (the issuing department's approver). Idempotent by command id: a retry answers as the
     * first time and records nothing twice; a certificate already revoked by another command is 'already-revoked'.
     */
    async revoke(view: CaseView, reason: string, actor: Actor, commandId: string): Promise<{ state: CertificateState; replayed: boolean } | 'already-revoked'> {
      const certificateNo = view.certificate!.certificateNo;
      // An expiry that is due goes on record first, so it cannot be what makes the revocation's append fail.
      await registry.state(view);
      for (let attempt = 1; ; attempt += 1) {
        // Decided on one read and appended at its revision: a revocation recorded after the read (another approver's)
        // makes the append fail and the certificate is read again, found revoked, instead of revoked twice.
        const recorded = await options.eventStore.readStream(certificateStream(certificateNo));
        const mine = recorded.find((e) => e.type === CERTIFICATE_REVOKED && e.metadata.commandId === commandId);
        if (mine) {
          // The key names one request: sent with another reason it is refused, not told that reason is on record.
          // A reason whose case was erased reads as erased and cannot tell; that retry is answered as the first.
          if (mine.data.reason !== reason && mine.data.reason !== ERASED) throw new IdempotencyKeyReusedError('RevokeCertificate');
          return { state: await registry.state(view), replayed: true };
        }
        const events = recorded.filter((e) => e.type === CERTIFICATE_REVOKED || e.type === CERTIFICATE_EXPIRED) as unknown as CertificateLifecycleEvent[];
        const before = certificateState({ validUntil: view.certificate!.validUntil, caseRevocation: view.revocation }, events, today());
        if (before.status === 'revoked') return 'already-revoked';
        try {
          await append(
            certificateNo,
            CERTIFICATE_REVOKED,
            { certificateNo, caseId: view.caseId, reason, revokedOn: today(), department: view.department ?? actor.department ?? '' },
            actor,
            commandId,
            recorded.length === 0 ? 'no_stream' : recorded.at(-1)!.revision,
          );
        } catch (error) {
          if (!isWrongExpectedVersion(error) || attempt >= 5) throw error;
          continue;
        }
        return { state: await registry.state(view), replayed: false };
      }
    },
  };
  return registry;
}

export type CertificateRegistry = ReturnType<typeof createCertificateRegistry>;
