// The /api/v1 client: bearer token from the session, JSON in and out, problem+json errors as ApiError.
// `errand` is the typed client (openapi-fetch over the types `npm run client` generates from the OpenAPI
// document): a path, parameter or body field the API does not have fails the pages' typecheck
// (api/pages/static/tsconfig.json). `api()` remains for the development sign-in routes, which are not in the document.
import createClient from './openapi-fetch.js';
import { getSession } from './session.js';

/** @typedef {import('../../../client/schema.d.ts').paths} Paths */

export const API = '/api/v1';

const clientOptions = { baseUrl: API, credentials: /** @type {const} */ ('omit'), cache: /** @type {const} */ ('no-store'), headers: { Accept: 'application/json, application/problem+json' } };

/** The typed client, signed with the session's token when there is one. */
export const errand = /** @type {import('./openapi-fetch.js').Client<Paths>} */ (createClient(clientOptions));
errand.use({
  onRequest({ request }) {
    const session = getSession();
    if (session) request.headers.set('Authorization', `Bearer ${session.token}`);
    return request;
  },
});

/** The typed client without a token, for the public reads (the service catalogue). */
export const errandPublic = /** @type {import('./openapi-fetch.js').Client<Paths>} */ (createClient(clientOptions));

/**
 * The data of a typed call, or an ApiError: the problem+json body with the status, status 0 when the network failed.
 * @template T
 * @param {Promise<{ data?: T, error?: unknown, response: Response }>} call
 * @returns {Promise<T>}
 */
export async function send(call) {
  let result;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, null);
  }
  if (!result.response.ok) throw new ApiError(result.response.status, result.error && typeof result.error === 'object' ? result.error : null);
  return result.data ?? null;
}

/**
 * A case command whose name comes at run time (the case's `allowed` list, a button's action): the typed client's
 * transport and errors, with the path checked against the case commands the API has.
 * @param {string} caseId
 * @param {CaseCommandName} name
 * @param {unknown} body
 * @param {{ key: string, revision?: string | number | null }} options
 */
export function caseCommand(caseId, name, body, { key, revision = null }) {
  const path = /** @type {any} */ (`/cases/{caseId}/${name}`);
  return send(errand.POST(path, { params: { path: { caseId } }, body, headers: commandHeaders(key, revision) }));
}

/** @typedef {Extract<keyof Paths, `/cases/{caseId}/${string}`> extends `/cases/{caseId}/${infer N}` ? N : never} CaseCommandName */

/** Headers for a command: a fresh Idempotency-Key, and If-Match with the revision on screen when given. */
export function commandHeaders(key, revision = null) {
  return { 'Idempotency-Key': key, ...(revision === null || revision === undefined ? {} : { 'If-Match': `"${revision}"` }) };
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem?.title ?? null;
    this.detail = problem?.detail ?? null;
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
    this.problem = problem ?? null;
  }

  /** The problem's kind: its type without the `urn:errand:problem:` prefix ('' when the answer named none). */
  get slug() {
    const type = this.problem?.type;
    return typeof type === 'string' ? type.replace(/^urn:errand:problem:/, '') : '';
  }
}

/** A fresh key for Idempotency-Key: one per click, so a retried request is recorded once. */
export function newKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * api('POST', '/cases', { body: {...} }) -> parsed JSON. Options: body (JSON), file (a Blob sent as the raw body
 * with its own media type), headers, revision (sent as If-Match), key (Idempotency-Key), withHeaders (returns
 * { body, headers }).
 */
export async function api(method, path, options = {}) {
  const headers = { Accept: 'application/json, application/problem+json', ...(options.auth === false ? {} : bearer()), ...(options.headers ?? {}) };
  if (options.revision !== undefined && options.revision !== null) headers['If-Match'] = `"${options.revision}"`;
  if (options.key) headers['Idempotency-Key'] = options.key;
  let body;
  if (options.file) {
    headers['Content-Type'] = options.file.type || 'application/octet-stream';
    body = options.file;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await fetch(`${API}${path}`, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, null);
  }
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  let parsed = null;
  if (text && type.includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return options.withHeaders ? { body: parsed, headers: response.headers } : parsed;
}

/** The session's token as an Authorization header, if signed in. */
function bearer() {
  const session = getSession();
  return session ? { Authorization: `Bearer ${session.token}` } : {};
}

/**
 * Saves the file uploaded for a material under its name: fetched with the session's token, since a plain link cannot
 * carry it, then handed to the browser as a download. Opening it is logged as a use of the applicant's data when a
 * clerk or auditor does it.
 */
export async function downloadMaterialFile(caseId, materialId, fileName) {
  await downloadFile(`/cases/${encodeURIComponent(caseId)}/materials/${encodeURIComponent(materialId)}/file`, fileName);
}

/**
 * Fetches a file from the API with the session's token (a plain link cannot carry it) and hands it to the browser as a
 * download named `fileName`.
 * @param {string} path below /api/v1
 * @param {string} fileName
 */
export async function downloadFile(path, fileName) {
  let response;
  try {
    response = await fetch(`${API}${path}`, { headers: bearer(), credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, null);
  }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Reads a case view. The API serves a caller's own writes at once, so a read right after a command already shows
 * it, and an unknown case is a 404 at once. With `unchangedFrom` (the revision on screen) the answer is null when the
 * case has not moved: the server says 304 and reads, and logs as a use of the applicant's data, nothing.
 */
export async function caseView(caseId, { actions = true, unchangedFrom = null } = {}) {
  const headers = unchangedFrom === null ? {} : { 'If-None-Match': `"${unchangedFrom}"` };
  try {
    return await send(errand.GET('/cases/{caseId}', { params: { path: { caseId }, query: actions ? { actions: true } : {} }, headers }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 304) return null;
    throw error;
  }
}
