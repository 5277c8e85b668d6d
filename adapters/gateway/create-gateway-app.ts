/**
 * A department's evidence gateway: the only door through which the platform reaches the department's data. It
 * verifies the platform's signed request, applies the catalogue's sharing rules, answers only the requested
 * fields, signs what it answers, and records every attempt in its own access log before any data leaves.
 */
import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { canonicalJson } from '../../domain/json/canonical-json.ts';
import type { DataCatalogue } from '../../domain/catalogue/index.ts';
import { checkEvidenceRequest, onlyRequested, type RefusalKind } from '../../domain/evidence/index.ts';
import { publicJwk, publicKeySet, toPrivateKey, toPublicKey, type PublicKeySetInput, type SigningKey } from '../jose/index.ts';
import { ACCESS_LOG_PATH, DEFAULT_PLATFORM_ISSUER, EVIDENCE_PATH, JWKS_PATH, SIGNATURE_HEADER, type RequestClaims } from '../evidence/index.ts';
import { EvidenceRefusedError, type EvidenceProvider, type EvidenceResult } from '../../domain/ports/evidence.ts';
import { createMemoryAccessLog } from './access-log/memory-access-log.ts';
import type { AccessLog, AccessResult, NewAccessLogEntry } from './access-log/types.ts';
import { verifyAuditorToken } from './auditor-token.ts';
import { silentLogger, type EvidenceLogger } from '../evidence/index.ts';
import { problem, problemBody, PROBLEM_CONTENT_TYPE, type GatewayProblem } from './problem.ts';
import { createMemoryReplayCache, type ReplayCache } from './replay-cache/index.ts';
import { clipped, createRequestVerifier, UNVERIFIED_MAX_CHARS, type Verification } from './request-verifier.ts';
import { createResponseSigner } from './response-signer.ts';

export interface GatewayOptions {
  department: string;
  catalogue: DataCatalogue;
  /** The department's data: a demo or SQL library provider (or any EvidenceProvider). */
  library: EvidenceProvider;
  platformPublicKeys: PublicKeySetInput;
  platformIssuer?: string;
  gatewaySigningKey: SigningKey;
  /** Keys accepted on GET /access-log; by default the gateway's own public key. */
  auditorKeys?: PublicKeySetInput;
  logger?: EvidenceLogger;
  accessLog?: AccessLog;
  /**
   * Token ids already answered, and the answers kept by request key; share one (PostgreSQL) between instances of the
   * same department's gateway.
   */
  replays?: ReplayCache;
  /** How long an answer is kept for retries of its request (default one day). */
  answerTtlMs?: number;
  clockToleranceSeconds?: number;
  now?: () => number;
}

const STATUS_OF: Record<RefusalKind, number> = {
  unknown_item: 404,
  wrong_provider: 403,
  bad_subject: 400,
  bad_fields: 403,
  not_shared: 403,
  not_allowed: 403,
};

/** What a request asked, apart from its token: a kept answer is served again only to the same question. */
function requestDigest(claims: RequestClaims): string {
  const { dataItem, subject, fields, purpose, requester } = claims;
  return createHash('sha256').update(canonicalJson({ dataItem, subject, fields, purpose, requester })).digest('base64url');
}

export function createGatewayApp(options: GatewayOptions): express.Express {
  const { department, catalogue, library } = options;
  const platformIssuer = options.platformIssuer ?? DEFAULT_PLATFORM_ISSUER;
  const logger = options.logger ?? silentLogger;
  const accessLog = options.accessLog ?? createMemoryAccessLog();
  const nowMs = options.now ?? Date.now;
  const replays = options.replays ?? createMemoryReplayCache();
  const answerTtlMs = options.answerTtlMs ?? 24 * 60 * 60 * 1000;
  const verifier = createRequestVerifier({
    department,
    platformIssuer,
    keys: publicKeySet(options.platformPublicKeys),
    replays,
    clockToleranceSeconds: options.clockToleranceSeconds ?? 5,
    nowMs,
  });
  const signer = createResponseSigner({ department, platformIssuer, key: options.gatewaySigningKey });
  const ownKey = { kid: options.gatewaySigningKey.kid, key: toPublicKey(toPrivateKey(options.gatewaySigningKey.privateKey)) };
  const auditorKeys = publicKeySet(options.auditorKeys ?? { [ownKey.kid]: ownKey.key });
  const jwks = { keys: [publicJwk(ownKey.kid, ownKey.key)] };

  async function send(res: Response, status: number, body: string, requestId: string | null, contentType: string): Promise<void> {
    res.status(status).set('content-type', contentType).set(SIGNATURE_HEADER, await signer.sign(body, requestId)).send(body);
  }

  function entryOf(v: Verification, result: AccessResult, status: number, reason: string | null): NewAccessLogEntry {
    // A refusal's reason may quote what the token claimed (an unknown key id, say): cut like the claims themselves.
    const base = { at: new Date(nowMs()).toISOString(), department, result, status, reason: v.ok ? reason : clipped(reason, 2 * UNVERIFIED_MAX_CHARS) };
    if (v.ok) {
      const c = v.claims;
      return { ...base, verified: true, requestId: v.requestId, issuer: v.issuer, keyId: v.keyId, requester: c.requester, caseId: c.purpose.caseId, serviceId: c.purpose.serviceId, legalBasis: c.purpose.legalBasis, subject: { ...c.subject }, dataItem: c.dataItem, fields: [...c.fields] };
    }
    const u = v.unverified;
    return { ...base, verified: v.verified, requestId: u.requestId, issuer: u.issuer, keyId: u.keyId, requester: null, caseId: u.caseId, serviceId: null, legalBasis: null, subject: null, dataItem: u.dataItem, fields: [] };
  }

  /** Refusals are logged like answers; if even that fails the refusal still goes out (it carries no data). */
  async function refuse(res: Response, v: Verification, p: GatewayProblem, result: AccessResult = 'refused'): Promise<void> {
    try {
      await accessLog.append(entryOf(v, result, p.status, p.detail));
    } catch (error) {
      logger.error({ department, err: error instanceof Error ? error.message : String(error) }, 'access log append failed for a refusal');
    }
    logger.warn({ department, status: p.status, result, dataItem: v.ok ? v.claims.dataItem : v.unverified.dataItem, caseId: v.ok ? v.claims.purpose.caseId : v.unverified.caseId, reason: p.detail }, 'evidence request refused');
    await send(res, p.status, problemBody(p), v.ok ? v.requestId : null, PROBLEM_CONTENT_TYPE);
  }

  async function answer(req: Request, res: Response): Promise<void> {
    const v = await verifier.verify(req.get('authorization'));
    if (!v.ok) return refuse(res, v, problem(v.status, v.status === 401 ? 'unauthenticated' : 'bad-request', v.reason));
    const check = checkEvidenceRequest(catalogue, v.claims, department);
    if (!check.ok) return refuse(res, v, problem(STATUS_OF[check.kind], check.kind.replace(/_/g, '-'), check.reason));

    // A retry of a request already answered (the platform lost the answer before recording it) gets the same answer
    // again: no second read of the department's data, no second delivery in the access log.
    const requestKey = v.claims.rid;
    const digest = requestKey === undefined ? '' : requestDigest(v.claims);
    if (requestKey !== undefined) {
      const kept = await replays.keptAnswer(requestKey, nowMs());
      if (kept && kept.digest !== digest) {
        return refuse(res, v, problem(409, 'request-key-reused', `request key ${requestKey} was answered for another request (item, subject, fields, purpose or requester differ)`));
      }
      if (kept) {
        logger.info({ department, dataItem: v.claims.dataItem, caseId: v.claims.purpose.caseId }, 'evidence request repeated; the answer already given is sent again');
        await send(res, 200, kept.body, v.requestId, 'application/json');
        return;
      }
    }

    let result: EvidenceResult;
    try {
      result = await library.fetch(v.claims);
    } catch (error) {
      if (error instanceof EvidenceRefusedError) return refuse(res, v, problem(403, 'refused', error.message));
      logger.error({ department, dataItem: v.claims.dataItem, err: error instanceof Error ? error.message : String(error) }, 'department library failed');
      return refuse(res, v, problem(503, 'library-unavailable', 'the department library could not answer; try again later'), 'error');
    }
    const outgoing: EvidenceResult = result.status === 'found' ? { ...result, provider: department, fields: onlyRequested(result.fields, v.claims.fields) } : { ...result, provider: department };
    const body = JSON.stringify(outgoing);
    const keep = requestKey === undefined ? undefined : { requestKey, digest, body, expiresAtMs: nowMs() + answerTtlMs, nowMs: nowMs() };
    // Where the log can, it keeps the answer in the transaction of the delivery's entry: both or neither.
    const together = keep !== undefined && accessLog.keepsAnswers === true;
    // No audit, no data: the answer leaves only once the access log holds it.
    try {
      await accessLog.append(entryOf(v, outgoing.status, 200, null), together ? keep : undefined);
    } catch (error) {
      logger.error({ department, err: error instanceof Error ? error.message : String(error) }, together ? 'access log append (with the answer kept for retries) failed; answering without data' : 'access log append failed; answering without data');
      await send(res, 503, problemBody(problem(503, 'audit-unavailable', 'the access log is unavailable, so no data is released')), v.requestId, PROBLEM_CONTENT_TYPE);
      return;
    }
    logger.info({ department, dataItem: v.claims.dataItem, caseId: v.claims.purpose.caseId, result: outgoing.status }, 'evidence request answered');
    if (keep !== undefined && !together) {
      // Kept before it leaves, so a retry after a lost answer finds it. If it cannot be kept the answer still goes
      // out: a retry would then be a second delivery, logged as one.
      await replays.keepAnswer(keep.requestKey, { digest, body }, keep.expiresAtMs, keep.nowMs).catch((error: unknown) => {
        logger.warn({ department, err: error instanceof Error ? error.message : String(error) }, 'could not keep the answer for retries');
      });
    }
    await send(res, 200, body, v.requestId, 'application/json');
  }

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.post(EVIDENCE_PATH, (req, res, next) => {
    answer(req, res).catch(next);
  });
  app.get(ACCESS_LOG_PATH, async (req, res, next) => {
    const auditor = await verifyAuditorToken(req.get('authorization'), auditorKeys, department, nowMs());
    if (!auditor) {
      const p = problem(401, 'unauthenticated', `reading the access log needs an auditor token of ${department}`);
      res.status(401).type(PROBLEM_CONTENT_TYPE).send(problemBody(p));
      return;
    }
    // A cursor past what a seq can be would reach the database as an out-of-range number (a 503, as if the log were
    // down): a query that cannot be meant is refused as one, as is a repeated or non-numeric one.
    const bad: string[] = [];
    const number = (name: string, min: number) => {
      const value = req.query[name];
      if (value === undefined) return undefined;
      const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
      if (Number.isSafeInteger(n) && n >= min) return n;
      bad.push(name);
      return undefined;
    };
    // A filter that cannot be applied as sent (repeated, empty, a NUL no database text holds) is refused: dropped,
    // it would hand the auditor the whole department's log instead of the case or subject asked about.
    const text = (name: string) => {
      const value = req.query[name];
      if (value === undefined) return undefined;
      if (typeof value === 'string' && value !== '' && value.length <= 200 && !value.includes('\u0000')) return value;
      bad.push(name);
      return undefined;
    };
    const query = { after: number('after', 0), limit: number('limit', 1), caseId: text('caseId'), subjectId: text('subjectId') };
    // A misspelt filter (caseid, subjectId[]) would be no filter at all.
    for (const name of Object.keys(req.query)) if (!(name in query)) bad.push(name);
    if (bad.length > 0) {
      const p = problem(400, 'bad-request', `${bad.join(' and ')}: after and limit are whole numbers (limit at least 1) no larger than ${Number.MAX_SAFE_INTEGER}; caseId and subjectId are given once, as 1 to 200 characters; nothing else is a filter`);
      res.status(400).type(PROBLEM_CONTENT_TYPE).send(problemBody(p));
      return;
    }
    accessLog
      .list(query)
      .then((entries) => {
        logger.info({ department, auditor, entries: entries.length }, 'access log read');
        res.json({ department, entries });
      })
      .catch(next);
  });
  app.get(JWKS_PATH, (_req, res) => {
    res.json(jwks);
  });
  app.get('/health', (_req, res) => {
    res.json({ department, status: 'ok' });
  });
  app.use((_req: Request, res: Response) => {
    res.status(404).type(PROBLEM_CONTENT_TYPE).send(problemBody(problem(404, 'not-found', 'no such resource on this gateway')));
  });
  app.use((error: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    logger.error({ department, err: error instanceof Error ? error.message : String(error) }, 'gateway error');
    if (!res.headersSent) res.status(503).type(PROBLEM_CONTENT_TYPE).send(problemBody(problem(503, 'unavailable', 'the gateway could not answer; try again later')));
  });
  return app;
}
