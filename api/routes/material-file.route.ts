import type { UploadStore } from '../../adapters/uploads/index.ts';
import type { Engine } from '../../runtime/engine.ts';
import { defineRoute, notFound } from '../http/index.ts';
import { recordAccess } from './access-log.ts';
import { createCaseReader } from './case-reader.ts';
import { maySee } from './case-visibility.ts';
import { caseErased } from '../../runtime/privacy.ts';
import type { Views } from './views.ts';

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** RFC 6266: a plain ASCII fallback for old clients and the exact name in RFC 5987 encoding. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * The file the applicant uploaded for a material, for the clerk handling the case (and the applicant, and auditors).
 * A clerk's or auditor's download is a use of the applicant's data and is logged as one; a revalidation that finds
 * the copy they hold unchanged (304) reads nothing and logs nothing. Uploaded bytes are untrusted: they are always
 * sent as an attachment, never sniffed, and sandboxed should a browser render them anyway.
 */
export function materialFileRoute(engine: Engine, views: Views, uploads: UploadStore) {
  const cases = createCaseReader(engine, views);
  return defineRoute<{ caseId: string; materialId: string }, Record<string, never>, unknown>({
    method: 'get',
    path: '/cases/:caseId/materials/:materialId/file',
    summary: 'The file uploaded for a material of a case, as uploaded (logged as a use of the applicant’s data)',
    tags: ['cases'],
    auth: ['citizen', 'clerk', 'auditor'],
    params: {
      type: 'object',
      required: ['caseId', 'materialId'],
      properties: { caseId: { type: 'string', format: 'uuid' }, materialId: { type: 'string', minLength: 1, maxLength: 80 } },
    },
    responses: {
      200: {
        description: 'The file, with the media type it was uploaded with and its name in Content-Disposition',
        contentType: '*/*',
        schema: { type: 'string', format: 'binary' },
      },
      304: { description: 'Unchanged since the ETag in If-None-Match (not logged as a data use)' },
      404: { description: 'No such case for this caller, or no file uploaded for that material' },
    },
    handler: async (ctx) => {
      const principal = ctx.requirePrincipal();
      const { caseId, materialId } = ctx.params;
      const view = await cases.current(caseId);
      if (!view || !maySee(principal, view)) throw notFound(`case ${caseId} was not found`);
      const file = view.materials[materialId]?.file;
      if (!file) throw notFound(`no file has been uploaded for material "${materialId}" of case ${caseId}`);
      const etag = `"${file.sha256}"`;
      // Personal data: revalidated by ETag from the caller's own copy, never kept by a cache.
      const common = { ETag: etag, 'Cache-Control': 'no-store' };
      if (ctx.req.headers['if-none-match'] === etag) return { status: 304, headers: common };
      // Files are kept by content: one another case also stored outlives this case's erasure. Whether this case's
      // data is erased is the key store's answer, at once, not the case view's (rebuilt after the shredding).
      if (await caseErased(engine.stores, caseId)) throw notFound(`the files of case ${caseId} were erased`);
      const bytes = await uploads.get(file.sha256);
      if (!bytes) {
        engine.logger.warn({ caseId, materialId }, 'an uploaded file recorded on a case is missing from the upload store');
        throw notFound(`the file uploaded for material "${materialId}" is not held by this server`);
      }
      await recordAccess(engine.stores.eventStore, ctx.actor(), {
        subject: view.applicant,
        caseId: view.caseId,
        serviceId: view.serviceId,
        purpose: principal.kind === 'auditor' ? 'supervision of case handling' : 'handling the case',
        fields: [`material:${materialId}`],
        channel: 'material-file',
        result: 'granted',
      }, ctx.requestId);
      ctx.res
        .status(200)
        .set({
          ...common,
          'Content-Type': MEDIA_TYPE.test(file.mediaType) ? file.mediaType : 'application/octet-stream',
          'Content-Length': String(bytes.length),
          'Content-Disposition': contentDisposition(file.fileName),
          'Content-Security-Policy': "default-src 'none'; sandbox",
          'X-Content-Type-Options': 'nosniff',
        })
        .end(bytes);
    },
  });
}
