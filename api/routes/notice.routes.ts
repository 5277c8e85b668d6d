/**
 * Printable notices of a case as PDFs: the acceptance receipt (受理通知书), the not-accepted notice, the one-time
 * supplement notice (一次性告知书) and the decision letter, generated from the case as it stands (adapters/documents/
 * notices.ts). The applicant, the case's clerks and auditors may download them; a clerk's or auditor's download is a
 * use of the applicant's data and is logged as one (channel 'notice'), like every other read.
 */
import { NOTICE_KINDS, noticeContent, renderNoticePdf, type NoticeKind } from '../../adapters/documents/notices.ts';
import type { Engine } from '../../runtime/engine.ts';
import { defineRoute, notFound } from '../http/index.ts';
import { recordAccess } from './access-log.ts';
import { createCaseReader } from './case-reader.ts';
import { maySee } from './case-visibility.ts';
import { caseErased } from '../../runtime/privacy.ts';
import { contentDisposition } from './material-file.route.ts';
import type { Views } from './views.ts';

const NAMES: Record<NoticeKind, string> = { acceptance: '受理通知书', 'not-accepted': '不予受理通知书', supplement: '一次性告知书', decision: '决定书' };

export function noticeRoutes(engine: Engine, views: Views) {
  const cases = createCaseReader(engine, views);
  return [
    defineRoute<{ caseId: string; kind: NoticeKind }, Record<string, never>, unknown>({
      method: 'get',
      path: '/cases/:caseId/notices/:kind',
      summary: 'A notice of the case as a PDF: acceptance receipt, not-accepted notice, one-time supplement notice or decision letter',
      tags: ['cases'],
      auth: ['citizen', 'clerk', 'auditor'],
      params: {
        type: 'object',
        required: ['caseId', 'kind'],
        properties: { caseId: { type: 'string', format: 'uuid' }, kind: { enum: [...NOTICE_KINDS] } },
      },
      responses: {
        200: { description: 'The PDF (the same bytes for the same case state)', contentType: 'application/pdf', schema: { type: 'string', format: 'binary' } },
        404: { description: 'No such case for this caller, or the case has no such notice (yet)' },
      },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        const { caseId, kind } = ctx.params;
        const view = await cases.current(caseId);
        if (!view || !maySee(principal, view)) throw notFound(`case ${caseId} was not found`);
        if (await caseErased(engine.stores, caseId)) throw notFound(`the notices of case ${caseId} name data that was erased`);
        const service = engine.catalogue.get(view.serviceId, view.serviceVersion);
        const department = view.department ? engine.dataCatalogue.department(view.department)?.name['zh-CN'] ?? view.department : '';
        const content = service ? noticeContent(kind, view, service, department) : null;
        if (!content) throw notFound(`case ${caseId} has no ${kind} notice`);
        await recordAccess(engine.stores.eventStore, ctx.actor(), {
          subject: view.applicant,
          caseId: view.caseId,
          serviceId: view.serviceId,
          purpose: principal.kind === 'auditor' ? 'supervision of case handling' : 'handling the case',
          fields: [`notice:${kind}`],
          channel: 'notice',
          result: 'granted',
        }, ctx.requestId);
        const pdf = await renderNoticePdf(content);
        ctx.res
          .status(200)
          .set({
            'Content-Type': 'application/pdf',
            'Content-Length': String(pdf.length),
            'Content-Disposition': contentDisposition(`${NAMES[kind]}-${content.number}.pdf`),
            'Cache-Control': 'no-store',
            'X-Content-Type-Options': 'nosniff',
          })
          .end(pdf);
      },
    }),
  ];
}
