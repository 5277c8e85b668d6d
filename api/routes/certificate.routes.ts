/**
 * Electronic certificates (电子证照) over HTTP. The holder (and the case's clerks and auditors, logged as a use of the
 * holder's data) download the signed credential and its sealed PDF; anyone verifies a certificate by number, with no
 * token, and learns only its status, type, issuer and validity, plus what the holder chose to show: the PDF's QR
 * code carries a disclosure token naming those fields, signed by the issuing department. The issuing department's
 * approvers revoke a certificate; expiry is recorded the first time it is observed (adapters/certificates).
 */
import type { Request } from 'express';
import { claimIdempotencyKey } from '../../workflows/index.ts';
import type { CertificateRegistry } from '../../adapters/certificates/registry.ts';
import type { Engine } from '../../runtime/engine.ts';
import { certificateRegistryOf } from '../../runtime/certificate-registry.ts';
import { CERTIFICATE_NUMBER_PATTERN, DISCLOSABLE, isDisclosable, type Disclosable } from '../../domain/certificates/certificate.ts';
import { certificateNumberProblem, normalizeCertificateNumber } from '../../domain/certificates/number.ts';
import type { Actor } from '../../domain/events/index.ts';
import type { CaseView } from '../../projections/views/case-view/index.ts';
import { mediaTypeOfHeader } from '../../domain/catalogue/index.ts';
import type { Principal } from '../auth/index.ts';
import { badRequest, conflict, defineRoute, forbidden, HttpProblem, notFound, payloadTooLarge, readBodyWithin, registerErrorMapping, unsupportedMediaType } from '../http/index.ts';
import { recordAccess } from './access-log.ts';
import { createCaseReader } from './case-reader.ts';
import { maySee } from './case-visibility.ts';
import { caseErased } from '../../runtime/privacy.ts';
import { contentDisposition } from './material-file.route.ts';
import type { Views } from './views.ts';

// A machine without the CJK fonts cannot print: say so as a problem (the operator installs fonts-noto-cjk).
registerErrorMapping('PRINTING_UNAVAILABLE', (error) => new HttpProblem({ status: 503, slug: 'printing-unavailable', title: 'Printing unavailable', detail: String(error.message) }));

/** A certificate PDF is a few hundred kilobytes; anything far larger is not one. */
export const CERTIFICATE_PDF_LIMIT = 5 * 1024 * 1024;

const localizedText = { type: 'object', additionalProperties: false, required: ['zh-CN', 'en'], properties: { 'zh-CN': { type: 'string' }, en: { type: 'string' } } };
const date = { type: 'string', format: 'date' };

export const CERTIFICATE_CREDENTIAL_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'version', 'certificateNo', 'certificateType', 'name', 'issuer', 'serviceId', 'issuedOn', 'validUntil', 'holder'],
  properties: {
    type: { const: 'ErrandCertificate' },
    version: { const: 1 },
    certificateNo: { type: 'string', pattern: CERTIFICATE_NUMBER_PATTERN },
    certificateType: { type: 'string', maxLength: 80 },
    name: localizedText,
    issuer: { type: 'object', additionalProperties: false, required: ['department', 'name'], properties: { department: { type: 'string', maxLength: 16 }, name: localizedText } },
    serviceId: { type: 'string', maxLength: 80 },
    issuedOn: date,
    validUntil: { oneOf: [date, { type: 'null' }] },
    holder: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'id', 'name'],
      properties: { type: { enum: ['person', 'enterprise'] }, id: { type: 'string', maxLength: 40 }, name: { type: ['string', 'null'], maxLength: 200 } },
    },
  },
};

const VERDICT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['certificateNo', 'status'],
  properties: {
    certificateNo: { type: 'string' },
    status: { enum: ['valid', 'revoked', 'expired', 'unknown'], description: 'unknown: no certificate of this number was issued here' },
    certificate: {
      type: 'object',
      additionalProperties: false,
      required: ['certificateType', 'name', 'issuer', 'issuedOn', 'validUntil'],
      properties: {
        certificateType: { type: 'string' },
        name: localizedText,
        issuer: { type: 'object', additionalProperties: false, required: ['department', 'name'], properties: { department: { type: 'string' }, name: localizedText } },
        issuedOn: date,
        validUntil: { oneOf: [date, { type: 'null' }] },
      },
    },
    revokedOn: date,
    disclosed: {
      type: 'object',
      additionalProperties: false,
      description: 'Only the fields the holder chose to show (the disclosure token of the QR code)',
      properties: { holderName: { type: 'string' }, holderId: { type: 'string' } },
    },
    signature: {
      type: 'object',
      additionalProperties: false,
      required: ['valid'],
      description: 'For a credential or PDF sent to be checked: whether it is the issuer\'s, unchanged',
      properties: { valid: { type: 'boolean' }, reason: { type: 'string' } },
    },
  },
};

const numberParams = { type: 'object', required: ['number'], properties: { number: { type: 'string', pattern: CERTIFICATE_NUMBER_PATTERN } } };
const caseParams = { type: 'object', required: ['caseId'], properties: { caseId: { type: 'string', format: 'uuid' } } };
const DISCLOSE_PATTERN = `^(${DISCLOSABLE.join('|')})(,(${DISCLOSABLE.join('|')}))*$`;

/**
 * Where the public verification page is (the QR code points there): PUBLIC_URL when set, else as this request
 * reached the server. The address is sealed into the department-signed PDF, so in production it must not follow a
 * request's Host header: a holder could have a genuine, signed certificate point verifiers at a page of their own.
 */
export function verificationUrl(req: Request, certificateNo: string, token: string | null, publicUrl: string | null = null): string {
  const origin = publicUrl ? publicUrl.replace(/\/+$/, '') : `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return `${origin}/verify?no=${encodeURIComponent(certificateNo)}${token ? `&t=${encodeURIComponent(token)}` : ''}`;
}

/**
 * The number as issued (normalizeCertificateNumber: O for 0, I or L for 1, any case). One in the current form whose
 * check character still fails was mistyped: a 400 saying so, where the lookup would answer "unknown" and leave the
 * verifier believing the certificate a forgery.
 */
function checkedNumber(typed: string): string {
  const number = normalizeCertificateNumber(typed);
  const problem = certificateNumberProblem(number);
  if (problem) throw badRequest(problem, { slug: 'mistyped-certificate-number', title: 'Mistyped certificate number' });
  return number;
}

function parseDisclose(value: string | undefined): Disclosable[] {
  if (!value) return [];
  const fields = value.split(',');
  if (!fields.every(isDisclosable)) throw badRequest(`disclose lists fields that cannot be shown; choose from ${DISCLOSABLE.join(', ')}`);
  return [...new Set(fields)];
}

export function certificateRoutes(engine: Engine, views: Views, registry: CertificateRegistry = certificateRegistryOf(engine)) {
  const cases = createCaseReader(engine, views);

  /** The case's certificate for a caller who may see the case. */
  const certifiedCase = async (principal: Principal, caseId: string): Promise<CaseView> => {
    const view = await cases.current(caseId);
    if (!view || !maySee(principal, view)) throw notFound(`case ${caseId} was not found`);
    if (!view.certificate) throw notFound(`case ${caseId} has no certificate`);
    if (await caseErased(engine.stores, caseId)) throw notFound(`the certificate of case ${caseId} names data that was erased`);
    return view;
  };

  /** A clerk's or auditor's read of the certificate, logged once it is served: a refused or failed one used nothing. */
  const served = async (principal: Principal, view: CaseView, actor: Actor, requestId: string, what: string): Promise<void> => {
    await recordAccess(engine.stores.eventStore, actor, {
      subject: view.applicant,
      caseId: view.caseId,
      serviceId: view.serviceId,
      purpose: principal.kind === 'auditor' ? 'supervision of case handling' : 'handling the case',
      fields: [what],
      channel: 'certificate',
      result: 'granted',
    }, requestId);
  };

  return [
    defineRoute<{ caseId: string }, Record<string, never>, unknown>({
      method: 'get',
      path: '/cases/:caseId/certificate',
      summary: 'The certificate of a case as a credential signed by the issuing department (detached JWS over its RFC 8785 canonical JSON)',
      tags: ['certificates'],
      auth: ['citizen', 'clerk', 'auditor'],
      params: caseParams,
      responses: {
        200: {
          description: 'The credential, its signature and its status today',
          schema: {
            type: 'object',
            additionalProperties: false,
            required: ['credential', 'signature', 'status'],
            properties: { credential: CERTIFICATE_CREDENTIAL_SCHEMA, signature: { type: 'string' }, status: { enum: ['valid', 'revoked', 'expired'] } },
          },
        },
        404: { description: 'No such case for this caller, or no certificate issued on it' },
      },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        const view = await certifiedCase(principal, ctx.params.caseId);
        const signed = await registry.signedCredential(view);
        const { status } = await registry.state(view);
        await served(principal, view, ctx.actor(), ctx.requestId, 'certificate');
        return { status: 200, body: { ...signed, status } };
      },
    }),
    defineRoute<{ caseId: string }, { disclose?: string }, unknown>({
      method: 'get',
      path: '/cases/:caseId/certificate/document',
      summary: 'The certificate as a signed PDF (seal, QR code, verification URL); `disclose` chooses what its QR code lets a verifier see',
      tags: ['certificates'],
      auth: ['citizen', 'clerk', 'auditor'],
      params: caseParams,
      query: { type: 'object', additionalProperties: false, properties: { disclose: { type: 'string', pattern: DISCLOSE_PATTERN, description: `Comma-separated: ${DISCLOSABLE.join(', ')}; only the holder may choose` } } },
      responses: {
        200: { description: 'The PDF', contentType: 'application/pdf', schema: { type: 'string', format: 'binary' } },
        404: { description: 'No such case for this caller, or no certificate issued on it' },
      },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        const disclose = parseDisclose(ctx.query.disclose);
        const view = await certifiedCase(principal, ctx.params.caseId);
        // Only the holder decides what the QR code reveals; a clerk's or auditor's copy reveals nothing but status.
        if (disclose.length > 0 && !(principal.kind === 'citizen' && principal.id === view.applicantId)) throw forbidden('only the holder chooses what the certificate discloses');
        const credential = registry.credentialOf(view);
        const pdf = await registry.pdf(view, (token) => verificationUrl(ctx.req, credential.certificateNo, token, engine.config.notifications.publicUrl), disclose);
        await served(principal, view, ctx.actor(), ctx.requestId, 'certificate-document');
        ctx.res
          .status(200)
          .set({ 'Content-Type': 'application/pdf', 'Content-Length': String(pdf.length), 'Content-Disposition': contentDisposition(`${credential.certificateNo}.pdf`), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
          .end(pdf);
      },
    }),
    defineRoute<{ number: string }, { t?: string }, unknown>({
      method: 'get',
      path: '/certificates/:number/verify',
      summary: 'Verify a certificate by its number (public): valid, revoked, expired or unknown, and what the holder chose to show',
      tags: ['certificates'],
      auth: 'public',
      params: numberParams,
      query: { type: 'object', additionalProperties: false, properties: { t: { type: 'string', minLength: 10, maxLength: 2000, description: 'The holder\'s disclosure token from the QR code' } } },
      responses: { 200: { description: 'The verdict', schema: VERDICT_SCHEMA } },
      handler: async (ctx) => {
        ctx.params.number = checkedNumber(ctx.params.number);
        let disclose: Disclosable[] = [];
        if (ctx.query.t !== undefined) {
          const issuer = (await registry.findCase(ctx.params.number))?.department ?? null;
          const claims = await registry.readDisclosure(ctx.query.t, ctx.params.number, issuer);
          if (typeof claims === 'string') throw badRequest(claims, { slug: 'bad-disclosure-token' });
          disclose = claims.disclose;
        }
        const verdict = await registry.verdict(ctx.params.number, disclose);
        // A revoked or expired certificate still shows the holder's choice: the verifier must see whose it was.
        return { status: 200, body: verdict, headers: { 'Cache-Control': 'no-store' } };
      },
    }),
    defineRoute<{ number: string }, Record<string, never>, { credential: unknown; signature: string }>({
      method: 'post',
      path: '/certificates/:number/verify',
      summary: 'Check a signed credential (public): its signature by the issuing department and the certificate\'s status',
      tags: ['certificates'],
      auth: 'public',
      params: numberParams,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['credential', 'signature'],
        properties: { credential: CERTIFICATE_CREDENTIAL_SCHEMA, signature: { type: 'string', maxLength: 2000 } },
      },
      responses: { 200: { description: 'The verdict, with `signature.valid`', schema: VERDICT_SCHEMA } },
      handler: async (ctx) => {
        ctx.params.number = checkedNumber(ctx.params.number);
        const check = await registry.checkCredential(ctx.body.credential, ctx.body.signature);
        if (check.ok && (ctx.body.credential as { certificateNo?: unknown }).certificateNo !== ctx.params.number) {
          return { status: 200, body: { certificateNo: ctx.params.number, status: 'unknown', signature: { valid: false, reason: 'the credential is for another certificate number' } } };
        }
        const verdict = await registry.verdict(ctx.params.number);
        return { status: 200, body: { ...verdict, signature: check.ok ? { valid: true } : { valid: false, reason: check.reason } } };
      },
    }),
    defineRoute<{ number: string }, Record<string, never>, unknown>({
      method: 'post',
      path: '/certificates/:number/verify/document',
      summary: 'Check a certificate PDF (public): the request body is the PDF itself (Content-Type application/pdf)',
      description: 'Answers whether the PDF is the issuing department\'s, unchanged since it was signed, and the certificate\'s status.',
      tags: ['certificates'],
      auth: 'public',
      params: numberParams,
      rawBody: { mediaType: 'application/pdf', description: 'The certificate PDF as downloaded' },
      responses: {
        200: { description: 'The verdict, with `signature.valid`', schema: VERDICT_SCHEMA },
        413: { description: 'Larger than any certificate PDF' },
        415: { description: 'Not sent as application/pdf' },
      },
      handler: async (ctx) => {
        ctx.params.number = checkedNumber(ctx.params.number);
        // Read as its registered type: a genuine PDF sent as application/x-pdf is still the PDF to check.
        if (mediaTypeOfHeader(ctx.req.headers['content-type']) !== 'application/pdf') throw unsupportedMediaType('send the certificate PDF itself as the body, with Content-Type application/pdf');
        const declared = Number(ctx.req.headers['content-length'] ?? NaN);
        if (Number.isSafeInteger(declared) && declared > CERTIFICATE_PDF_LIMIT) throw payloadTooLarge(CERTIFICATE_PDF_LIMIT);
        const bytes = await readBodyWithin(ctx.req, CERTIFICATE_PDF_LIMIT);
        if (bytes === null) throw payloadTooLarge(CERTIFICATE_PDF_LIMIT);
        if (bytes.length === 0) throw badRequest('the body is empty; send the certificate PDF');
        const check = await registry.checkPdf(bytes);
        if (check.ok && check.credential.certificateNo !== ctx.params.number) {
          return { status: 200, body: { certificateNo: ctx.params.number, status: 'unknown', signature: { valid: false, reason: 'the PDF is for another certificate number' } } };
        }
        const verdict = await registry.verdict(ctx.params.number);
        return { status: 200, body: { ...verdict, signature: check.ok ? { valid: true } : { valid: false, reason: check.reason } } };
      },
    }),
    defineRoute<{ number: string }, Record<string, never>, { reason: string }>({
      method: 'post',
      path: '/certificates/:number/revocation',
      summary: 'Revoke a certificate (an approver of the issuing department): recorded as CertificateRevoked; verification and reuse as evidence honour it',
      tags: ['certificates'],
      auth: ['clerk:approver'],
      params: numberParams,
      body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } } },
      responses: {
        200: { description: 'Revoked (`replayed` when this Idempotency-Key already did it)', schema: { type: 'object', additionalProperties: false, required: ['certificateNo', 'status', 'replayed'], properties: { certificateNo: { type: 'string' }, status: { const: 'revoked' }, revokedOn: date, replayed: { type: 'boolean' } } } },
        403: { description: 'Not of the issuing department' },
        404: { description: 'No certificate of this number' },
        409: { description: 'Already revoked' },
      },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        ctx.params.number = checkedNumber(ctx.params.number);
        const reason = ctx.body.reason.trim();
        if (reason === '') throw badRequest('give the reason for revoking the certificate');
        const view = await registry.findCase(ctx.params.number);
        if (!view?.certificate) throw notFound(`no certificate ${ctx.params.number} was issued here`);
        if (principal.kind !== 'clerk' || principal.department !== view.department) throw forbidden(`only the issuing department (${String(view.department)}) revokes this certificate`);
        // The key names this revocation, claimed in the log first: with another reason (also sent at the same
        // moment) or for another certificate it is refused (422), never answered as if on record.
        await claimIdempotencyKey(engine.stores.eventStore, { type: 'RevokeCertificate', commandId: ctx.commandId, actor: ctx.actor(), certificateNo: ctx.params.number, reason }, engine.clock.now().toISOString());
        const result = await registry.revoke(view, reason, ctx.actor(), ctx.commandId);
        if (result === 'already-revoked') throw conflict(`certificate ${ctx.params.number} is already revoked`, { slug: 'certificate-revoked' });
        return { status: 200, body: { certificateNo: ctx.params.number, status: 'revoked', revokedOn: result.state.revokedOn ?? undefined, replayed: result.replayed } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/certificates/keys',
      summary: 'The departments\' public certificate-signing keys (JWKS, each key with its department), to verify offline',
      tags: ['certificates'],
      auth: 'public',
      responses: {
        200: {
          description: 'JWKS',
          schema: {
            type: 'object',
            additionalProperties: false,
            required: ['keys'],
            properties: {
              keys: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['kty', 'kid', 'alg', 'use', 'department'],
                  properties: Object.fromEntries(['kty', 'crv', 'x', 'y', 'n', 'e', 'kid', 'alg', 'use', 'department'].map((name) => [name, { type: 'string' }])),
                },
              },
            },
          },
        },
      },
      handler: () => ({ status: 200, body: registry.keys.jwks() }),
    }),
  ];
}
