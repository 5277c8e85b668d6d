/**
 * Calls a department gateway: one signed token per call, the answer believed only when its signature verifies.
 * Outages (connection refused, timeouts, 5xx, 429) and credentials the gateway does not accept (401) are
 * ProviderUnavailableError and retried by the worker; refusals (403/404/400) and answers that fail verification are
 * EvidenceRefusedError and never retried.
 */
import http from 'node:http';
import https from 'node:https';
import { onlyRequested } from '../../../domain/evidence/index.ts';
import { decodeUnverified, fixedKeySource, publicKeySet, type KeySet, type KeySource, type PublicKeySetInput } from '../../jose/index.ts';
import { reasonOf, throwIfAborted } from '../allowed-item.ts';
import { EvidenceRefusedError, ProviderUnavailableError, type EvidenceProvider, type EvidenceRequest, type EvidenceResult, type FetchOptions } from '../../../domain/ports/evidence.ts';
import type { PlatformRequestSigner } from './platform-signer.ts';
import { EVIDENCE_PATH, SIGNATURE_HEADER } from './protocol.ts';
import { responseSignatureProblem } from './verify-response.ts';

export interface HttpGatewayProviderOptions {
  department: string;
  /** e.g. http://psb-gateway:4001 (a path prefix is kept: http://host/gateways/PSB). */
  baseUrl: string;
  signer: PlatformRequestSigner;
  /**
   * The gateway's public signing keys: fixed, or a KeySource that follows a JWKS file or URL (a key removed there is
   * no longer believed within its refresh period, a key added is picked up when an answer names it).
   */
  gatewayKeys: PublicKeySetInput | KeySource;
  /** Per call, unless the caller's signal ends it first; default 10 s. */
  timeoutMs?: number;
  /** Sockets kept open to the gateway; default 64. */
  maxSockets?: number;
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function problemDetail(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { detail?: unknown; title?: unknown };
    return String(parsed.detail ?? parsed.title ?? 'no detail');
  } catch {
    return 'no detail';
  }
}

function isResult(value: unknown): value is EvidenceResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.status === 'found') return typeof v.fields === 'object' && v.fields !== null && typeof v.retrievedAt === 'string';
  return v.status === 'no_match' || v.status === 'not_yet_available';
}

export function createHttpGatewayProvider(options: HttpGatewayProviderOptions): EvidenceProvider {
  const { department, signer } = options;
  const keySource: KeySource = isKeySource(options.gatewayKeys) ? options.gatewayKeys : fixedKeySource(publicKeySet(options.gatewayKeys));
  // Keys that cannot be read (for longer than the last ones read may be trusted) say nothing about the department's
  // answer: retried like an outage, so the evidence waits for the keys rather than being refused for good.
  const trustedKeys = async (read: () => Promise<KeySet>): Promise<KeySet> => {
    try {
      return await read();
    } catch (error) {
      throw new ProviderUnavailableError(department, `gateway ${department}'s keys cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const base = new URL(options.baseUrl);
  const url = new URL(`${base.pathname.replace(/\/$/, '')}${EVIDENCE_PATH}`, base);
  const transport = url.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const name = `gateway:${department}`;

  function post(token: string, signal: AbortSignal): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method: 'POST', agent, signal, headers: { authorization: `Bearer ${token}`, 'content-length': '0', accept: 'application/json' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
  }

  return {
    name,
    async fetch(request: EvidenceRequest, fetchOptions: FetchOptions = {}): Promise<EvidenceResult> {
      throwIfAborted(fetchOptions.signal, name);
      const { token, jti } = await signer.sign(request, department);
      // One controller, one timer: cheaper per call than composing AbortSignal.timeout with AbortSignal.any.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const outer = fetchOptions.signal;
      const relay = () => controller.abort(outer?.reason);
      outer?.addEventListener('abort', relay, { once: true });
      let response: RawResponse;
      try {
        response = await post(token, controller.signal);
      } catch (error) {
        const why = controller.signal.aborted ? reasonOf(controller.signal) : error instanceof Error ? error.message : String(error);
        throw new ProviderUnavailableError(department, `gateway ${department} unreachable: ${why}`);
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', relay);
      }
      // 401 is about the platform's credentials (a key not yet trusted, clocks apart), not the department declining
      // to share: retried like an outage, so a key rotation mishap ends as provider_down, never as a refusal.
      if (response.status === 401 || response.status === 429 || response.status >= 500) {
        throw new ProviderUnavailableError(department, `gateway ${department} answered ${response.status}: ${problemDetail(response.body)}`);
      }
      if (response.status !== 200) {
        throw new EvidenceRefusedError(department, `gateway ${department} refused (${response.status}): ${problemDetail(response.body)}`);
      }
      const header = response.headers[SIGNATURE_HEADER];
      const signature = Array.isArray(header) ? header[0] : header;
      const check = (keys: KeySet) => responseSignatureProblem({ signature, body: response.body, keys, department, platformIssuer: signer.issuer, requestId: jti });
      let keys = await trustedKeys(() => keySource.current());
      let problem = await check(keys);
      // Signed with a key not (yet) trusted here: the department may have rotated since the keys were read.
      const kid = signature ? decodeUnverified(signature)?.header.kid : undefined;
      if (problem && typeof kid === 'string' && !keys.has(kid)) {
        keys = await trustedKeys(() => keySource.refreshForUnknownKid());
        problem = await check(keys);
      }
      if (problem) throw new EvidenceRefusedError(department, `gateway ${department} answer rejected: ${problem}`);
      let result: unknown;
      try {
        result = JSON.parse(response.body.toString('utf8'));
      } catch {
        throw new EvidenceRefusedError(department, `gateway ${department} answered with a body that is not JSON`);
      }
      if (!isResult(result)) throw new EvidenceRefusedError(department, `gateway ${department} answered with something that is not an evidence result`);
      // Minimisation holds even against a gateway that says more than it was asked.
      if (result.status === 'found') {
        const provisional = (result as { provisional?: unknown }).provisional === true ? { provisional: true } : {};
        return { status: 'found', fields: onlyRequested(result.fields, request.fields), provider: department, retrievedAt: result.retrievedAt, ...provisional };
      }
      if (result.status === 'not_yet_available') {
        return result.availableAfter === undefined ? { status: 'not_yet_available', provider: department } : { status: 'not_yet_available', provider: department, availableAfter: result.availableAfter };
      }
      return { status: 'no_match', provider: department };
    },
    async close() {
      agent.destroy();
    },
  };
}

function isKeySource(keys: PublicKeySetInput | KeySource): keys is KeySource {
  return typeof (keys as KeySource).current === 'function' && typeof (keys as KeySource).refreshForUnknownKid === 'function';
}
