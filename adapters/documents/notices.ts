/**
 * Printable notices generated from the case (Administrative Licensing Law arts. 32, 38, 42-45): the acceptance
 * receipt (受理通知书), the not-accepted notice (不予受理通知书), the one-time supplement notice (一次性告知书) and the
 * decision letter (准予 / 不予行政许可决定书). Each names the receipt number (or, before acceptance, the application
 * number), the limits that run, and the remedies where the law requires them. The wording is built here as lines
 * (`noticeContent`, pure), then printed; a notice's date is the day of the act it records, so it prints the same
 * bytes whenever it is downloaded.
 */
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import type { CaseView } from '../../projections/views/case-view/index.ts';
import { applicantNameOf } from './case-names.ts';
import { createPdf } from './pdf.ts';

export const NOTICE_KINDS = ['acceptance', 'not-accepted', 'supplement', 'decision'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface NoticeContent {
  kind: NoticeKind;
  title: string;
  titleEn: string;
  /** Receipt number (受理编号) once accepted; before that, the application number. */
  numberLabel: string;
  number: string;
  addressee: string;
  paragraphs: string[];
  issuer: string;
  date: string;
}

const REMEDIES =
  '如不服本决定，可以自收到本文书之日起六十日内依法向本机关的本级人民政府或者上一级主管部门申请行政复议（《中华人民共和国行政复议法》第二十条），' +
  '或者自收到本文书之日起六个月内依法向人民法院提起行政诉讼。';

function days(view: CaseView, count: number): string {
  return `${count}${view.limits?.dayKind === 'calendar' ? '日' : '个工作日'}`;
}

function materialName(service: ServiceDefinition, id: string): string {
  return service.materials.find((m) => m.id === id)?.name['zh-CN'] ?? id;
}

/** Which notices the case has now (each once its act happened). */
export function noticesAvailable(view: CaseView): NoticeKind[] {
  const kinds: NoticeKind[] = [];
  if (view.receiptNo && view.acceptedOn) kinds.push('acceptance');
  if (view.notAccepted) kinds.push('not-accepted');
  if (view.supplement) kinds.push('supplement');
  if (view.decision) kinds.push('decision');
  return kinds;
}

/** The notice's wording from the case, or null when the case has no such notice (yet). */
export function noticeContent(kind: NoticeKind, view: CaseView, service: ServiceDefinition, departmentName: string): NoticeContent | null {
  const addressee = `${applicantNameOf(view) ?? ''}（${view.applicant.type === 'person' ? '公民身份号码' : '统一社会信用代码'} ${view.applicant.id}）`;
  const applied = `你（单位）于${view.submittedOn ?? view.draftedAt.slice(0, 10)}提交的“${service.name['zh-CN']}”申请`;
  const numbered = view.receiptNo ? { numberLabel: '受理编号', number: view.receiptNo } : { numberLabel: '申请编号', number: view.caseId };
  const base = { kind, addressee, issuer: departmentName, ...numbered };
  const basis = `办理依据：${service.legalBasis}`;
  switch (kind) {
    case 'acceptance': {
      if (!view.receiptNo || !view.acceptedOn) return null;
      const paragraphs = [
        view.deemedAccepted
          ? `${applied}，本机关未在五日内一次告知需要补正的全部内容。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，自收到申请材料之日起即为受理。`
          : `${applied}，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，本机关决定予以受理。`,
        `本机关将自受理之日起在以下期限内作出行政许可决定（《中华人民共和国行政许可法》第四十二条）：法定办结时限${days(view, service.limits.statutoryDays)}${view.due ? `，即${view.due.statutory}前` : ''}；承诺办结时限${days(view, service.limits.promisedDays)}${view.due ? `，即${view.due.promised}前` : ''}。`,
        '依法需要听证、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在上述期限内（第四十五条），本机关将书面告知。',
      ];
      if (view.missingNonKey.length) {
        const owed = view.obligations.map((o) => `${materialName(service, o.materialId)}（${o.dueOn}前）`);
        paragraphs.push(`容缺受理：以下非关键材料可后补：${(owed.length ? owed : view.missingNonKey.map((id) => materialName(service, id))).join('；')}。`);
      }
      paragraphs.push(basis);
      return { ...base, title: '受理通知书', titleEn: 'Acceptance receipt', paragraphs, date: view.acceptedOn };
    }
    case 'not-accepted': {
      if (!view.notAccepted) return null;
      return {
        ...base,
        title: '不予受理通知书',
        titleEn: 'Notice of non-acceptance',
        paragraphs: [
          `${applied}，经审查，理由如下：${view.notAccepted.reason}。`,
          '根据《中华人民共和国行政许可法》第三十二条第一款的规定，本机关决定不予受理。',
          REMEDIES,
          basis,
        ],
        date: view.notAccepted.decidedOn,
      };
    }
    case 'supplement': {
      if (!view.supplement) return null;
      const items = view.supplement.items.map((item, index) => `${index + 1}. ${materialName(service, item.materialId)}${item.note ? `：${item.note}` : ''}`);
      return {
        ...base,
        title: '一次性告知书',
        titleEn: 'One-time supplement notice',
        paragraphs: [
          `${applied}，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，现一次性告知你需要补正的全部内容如下：`,
          ...items,
          `请于${view.supplement.dueOn}前补正（补正期限${days(view, service.limits.supplementDays)}）。受理期限自本机关收到全部补正材料之日起重新计算；逾期未补正的，本申请不予受理。`,
          basis,
        ],
        date: view.supplement.requestedOn,
      };
    }
    case 'decision': {
      const decision = view.decision;
      if (!decision) return null;
      const reasons = decision.reasons.length ? decision.reasons.join('；') : '—';
      if (decision.outcome === 'approved') {
        const paragraphs = [
          `${applied}，经审查，符合法定条件、标准${decision.by === 'rule' ? '（经系统规则自动核验，秒批）' : decision.by === 'commitment' ? '（告知承诺制审批）' : ''}。根据《中华人民共和国行政许可法》第三十八条第一款的规定，本机关决定准予行政许可。`,
          `审查意见：${reasons}`,
        ];
        paragraphs.push(
          view.certificate
            ? `颁发证照：${service.outcome.name['zh-CN']}，证照编号 ${view.certificate.certificateNo}，有效期至${view.certificate.validUntil ?? '长期'}。`
            : `本机关将自作出决定之日起${service.limits.certificateDays}日内颁发、送达行政许可证件（《中华人民共和国行政许可法》第四十四条）。`,
          basis,
        );
        return { ...base, title: '准予行政许可决定书', titleEn: 'Decision to grant the licence', paragraphs, date: decision.decidedOn };
      }
      return {
        ...base,
        title: '不予行政许可决定书',
        titleEn: 'Decision to refuse the licence',
        paragraphs: [
          `${applied}，经审查，理由如下：${reasons}。`,
          '根据《中华人民共和国行政许可法》第三十八条第二款的规定，本机关决定不予行政许可。',
          REMEDIES,
          basis,
        ],
        date: decision.decidedOn,
      };
    }
  }
}

export async function renderNoticePdf(content: NoticeContent): Promise<Buffer> {
  const { doc, finish } = createPdf({
    title: `${content.title} ${content.number}`,
    subject: content.titleEn,
    date: content.date,
    info: { NoticeKind: content.kind, [content.numberLabel === '受理编号' ? 'ReceiptNo' : 'ApplicationNo']: content.number },
  });
  const width = doc.page.width - 144;
  doc.fontSize(13).fillColor('#c00000').text(content.issuer, { width, align: 'center' });
  doc.moveDown(0.3).lineWidth(1.5).moveTo(72, doc.y).lineTo(72 + width, doc.y).stroke('#c00000');
  doc.moveDown(0.8).fillColor('black').fontSize(22).text(content.title, { width, align: 'center' });
  doc.fontSize(11).fillColor('#444444').text(content.titleEn, { width, align: 'center' });
  doc.moveDown(0.6).fontSize(11).fillColor('black').text(`${content.numberLabel}：${content.number}`, { width, align: 'right' });
  doc.moveDown(1).fontSize(13).text(`${content.addressee}：`, { width });
  doc.moveDown(0.5);
  for (const paragraph of content.paragraphs) {
    doc.text(paragraph, { width, indent: 26, lineGap: 4, paragraphGap: 8 });
  }
  doc.moveDown(2);
  doc.text(content.issuer, { width, align: 'right' });
  doc.text(content.date, { width, align: 'right' });
  return finish();
}
