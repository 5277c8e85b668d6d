import type { LocalizedText } from '../catalogue/index.ts';
import type { Language, NotificationFacts, NotificationKind } from './notification.ts';

export interface RenderedMessage {
  /** Email subject and inbox title. */
  title: string;
  /** Plain text: inbox body, email body (with the link), SMS text. */
  body: string;
}

type Template = (f: NotificationFacts, l: Language) => { title: string; body: string };

const name = (text: LocalizedText | undefined, language: Language): string => (text ? text[language] || text['zh-CN'] : '');
const list = (items: LocalizedText[] | undefined, language: Language): string => (items ?? []).map((m) => name(m, language)).join(language === 'en' ? ', ' : '、');
const receipt = (f: NotificationFacts, language: Language): string =>
  f.receiptNo ? (language === 'en' ? ` (receipt ${f.receiptNo})` : `（受理编号 ${f.receiptNo}）`) : '';
const limitName = (f: NotificationFacts, language: Language): string =>
  f.limit === 'statutory' ? (language === 'en' ? 'statutory limit' : '法定时限') : language === 'en' ? 'promised limit' : '承诺时限';

/** One template per kind and language; `{service}` etc. come only from facts, which hold no personal data. */
const TEMPLATES: Record<NotificationKind, Record<Language, Template>> = {
  accepted: {
    'zh-CN': (f, l) => ({ title: `申请已受理：${name(f.service, l)}`, body: `您申请的“${name(f.service, l)}”已受理${receipt(f, l)}，承诺办结日期 ${f.dueOn ?? ''}。` }),
    en: (f, l) => ({ title: `Application accepted: ${name(f.service, l)}`, body: `Your application for "${name(f.service, l)}" was accepted${receipt(f, l)}. Promised decision by ${f.dueOn ?? ''}.` }),
  },
  notAccepted: {
    'zh-CN': (f, l) => ({ title: `申请不予受理：${name(f.service, l)}`, body: `您申请的“${name(f.service, l)}”不予受理。请登录查看理由和不予受理通知书。` }),
    en: (f, l) => ({ title: `Application not accepted: ${name(f.service, l)}`, body: `Your application for "${name(f.service, l)}" was not accepted. Sign in to read the reason.` }),
  },
  supplementRequested: {
    'zh-CN': (f, l) => ({ title: `请补正材料：${name(f.service, l)}`, body: `您申请的“${name(f.service, l)}”需一次性补正以下材料：${list(f.materials, l)}。请于 ${f.dueOn ?? ''} 前提交。` }),
    en: (f, l) => ({ title: `Materials to supplement: ${name(f.service, l)}`, body: `Your application for "${name(f.service, l)}" needs these materials: ${list(f.materials, l)}. Please provide them by ${f.dueOn ?? ''}.` }),
  },
  revisionRequested: {
    'zh-CN': (f, l) => ({ title: `请补充材料：${name(f.service, l)}`, body: `审查部门请您补充以下材料：${list(f.materials, l)}${receipt(f, l)}。` }),
    en: (f, l) => ({ title: `Materials requested: ${name(f.service, l)}`, body: `The reviewing departments ask for these materials: ${list(f.materials, l)}${receipt(f, l)}.` }),
  },
  previewToConfirm: {
    'zh-CN': (f, l) => ({ title: `请确认调取的材料：${name(f.service, l)}`, body: `已为您调取“${list(f.materials, l)}”，请登录预览并确认使用${receipt(f, l)}。` }),
    en: (f, l) => ({ title: `Please confirm fetched evidence: ${name(f.service, l)}`, body: `We fetched "${list(f.materials, l)}" for you. Sign in to preview it and confirm its use${receipt(f, l)}.` }),
  },
  approved: {
    'zh-CN': (f, l) => ({ title: `申请已批准：${name(f.service, l)}`, body: `您申请的“${name(f.service, l)}”已批准${receipt(f, l)}。` }),
    en: (f, l) => ({ title: `Application approved: ${name(f.service, l)}`, body: `Your application for "${name(f.service, l)}" was approved${receipt(f, l)}.` }),
  },
  denied: {
    'zh-CN': (f, l) => ({ title: `申请未获批准：${name(f.service, l)}`, body: `您申请的“${name(f.service, l)}”未获批准${receipt(f, l)}。请登录查看决定及理由。` }),
    en: (f, l) => ({ title: `Application denied: ${name(f.service, l)}`, body: `Your application for "${name(f.service, l)}" was denied${receipt(f, l)}. Sign in to read the decision and its reasons.` }),
  },
  certificateIssued: {
    'zh-CN': (f, l) => ({ title: `证照已签发：${name(f.service, l)}`, body: `“${name(f.service, l)}”的证照已签发，证照编号 ${f.certificateNo ?? ''}${receipt(f, l)}。` }),
    en: (f, l) => ({ title: `Certificate issued: ${name(f.service, l)}`, body: `The certificate for "${name(f.service, l)}" was issued, number ${f.certificateNo ?? ''}${receipt(f, l)}.` }),
  },
  followUpRequired: {
    'zh-CN': (f, l) => ({ title: `容缺材料待补交：${name(f.service, l)}`, body: `您已容缺受理，请于 ${f.dueOn ?? ''} 前补交：${list(f.materials, l)}${receipt(f, l)}。` }),
    en: (f, l) => ({ title: `Materials still owed: ${name(f.service, l)}`, body: `Your case went ahead without these materials; please provide them by ${f.dueOn ?? ''}: ${list(f.materials, l)}${receipt(f, l)}.` }),
  },
  followUpDue: {
    'zh-CN': (f, l) => ({
      title: `${f.level === 'red' ? '【已逾期】' : '【即将到期】'}容缺材料：${name(f.service, l)}`,
      body: `容缺材料“${list(f.materials, l)}”${f.level === 'red' ? '已超过' : '即将到达'}补交期限 ${f.dueOn ?? ''}${receipt(f, l)}，请尽快补交。`,
    }),
    en: (f, l) => ({
      title: `${f.level === 'red' ? '[Overdue]' : '[Due soon]'} Owed material: ${name(f.service, l)}`,
      body: `The owed material "${list(f.materials, l)}" ${f.level === 'red' ? 'is past' : 'is close to'} its due date ${f.dueOn ?? ''}${receipt(f, l)}. Please provide it.`,
    }),
  },
  deadlineWarning: {
    'zh-CN': (f, l) => ({ title: `【黄牌】即将超期：${name(f.service, l)}`, body: `办件${receipt(f, l)}的${limitName(f, l)}将于 ${f.dueOn ?? ''} 届满，请及时办理。` }),
    en: (f, l) => ({ title: `[Yellow card] Due soon: ${name(f.service, l)}`, body: `The ${limitName(f, l)} of case${receipt(f, l)} ends on ${f.dueOn ?? ''}. Please act.` }),
  },
  deadlineOverdue: {
    'zh-CN': (f, l) => ({ title: `【红牌】已超期：${name(f.service, l)}`, body: `办件${receipt(f, l)}已超过${limitName(f, l)}（${f.dueOn ?? ''}），请立即办理。` }),
    en: (f, l) => ({ title: `[Red card] Overdue: ${name(f.service, l)}`, body: `Case${receipt(f, l)} is past its ${limitName(f, l)} (${f.dueOn ?? ''}). Act now.` }),
  },
};

/** The message for a notification in a language; `link`, when given, is appended (email and SMS). */
export function renderNotification(kind: NotificationKind, facts: NotificationFacts, language: Language, link?: string): RenderedMessage {
  const message = TEMPLATES[kind][language](facts, language);
  if (!link) return message;
  return { title: message.title, body: `${message.body}\n${language === 'en' ? 'Details' : '详情'}: ${link}` };
}

/** SMS is short: the title and the link only (the provider bills by segment). */
export function renderSms(kind: NotificationKind, facts: NotificationFacts, language: Language, link?: string): string {
  const { title } = TEMPLATES[kind][language](facts, language);
  const tag = language === 'en' ? '[Errand] ' : '【一网通办】';
  return link ? `${tag}${title} ${link}` : `${tag}${title}`;
}
