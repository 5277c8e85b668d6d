import type { LocalizedText } from '../catalogue/index.ts';
import type { Language, MovedDate, NotificationFacts, NotificationKind } from './notification.ts';

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

const SUSPENSIONS: Record<NonNullable<NotificationFacts['suspension']>, LocalizedText> = {
  hearing: { 'zh-CN': '听证', en: 'a hearing' },
  testing: { 'zh-CN': '检验检测', en: 'testing' },
  inspection: { 'zh-CN': '现场核查', en: 'an on-site inspection' },
  expert_review: { 'zh-CN': '专家评审', en: 'an expert review' },
};
const suspensionName = (f: NotificationFacts, language: Language): string =>
  f.suspension ? name(SUSPENSIONS[f.suspension], language) : language === 'en' ? 'a procedure the law provides for' : '依法需要的程序';

const MOVED_CAUSES: Record<NonNullable<NotificationFacts['cause']> | 'other', LocalizedText> = {
  extended: { 'zh-CN': '经批准延长办理期限（延期理由请登录查看）', en: 'the time limit was extended with approval (sign in to read why)' },
  resumed: { 'zh-CN': '中止后恢复办理，以下期限相应顺延', en: 'after the pause these dates moved on' },
  recalculated: { 'zh-CN': '办理期限重新核算（如法定节假日安排调整），以下期限相应变化', en: 'the time limits were recomputed (after a change in the public holiday calendar, say) and these dates moved' },
  other: { 'zh-CN': '以下期限有调整', en: 'these dates changed' },
};
const MOVED_LIMITS: Record<MovedDate['limit'], LocalizedText> = {
  promised: { 'zh-CN': '承诺办结日期', en: 'promised decision' },
  statutory: { 'zh-CN': '法定办结期限', en: 'statutory limit' },
  supplement: { 'zh-CN': '补正期限', en: 'supplement due' },
  followUp: { 'zh-CN': '补交期限', en: 'due' },
};
/** Each moved date, from what it was to what it is: "承诺办结日期由 A 调整为 B", "promised decision from A to B". */
function movedList(f: NotificationFacts, language: Language): string {
  const items = (f.moved ?? []).map((m) => {
    const what = m.limit === 'followUp' && m.material ? (language === 'en' ? `"${name(m.material, language)}" due` : `容缺材料“${name(m.material, language)}”补交期限`) : name(MOVED_LIMITS[m.limit], language);
    return language === 'en' ? `${what} from ${m.previousOn} to ${m.dueOn}` : `${what}由 ${m.previousOn} 调整为 ${m.dueOn}`;
  });
  if (items.length > 0) return items.join(language === 'en' ? '; ' : '；');
  if (f.dueOn) return language === 'en' ? `promised decision by ${f.dueOn}` : `承诺办结日期为 ${f.dueOn}`;
  return language === 'en' ? 'sign in to see the new dates' : '新的期限请登录查看';
}

/** The promised date is to be said as it stands: known, and not among the moved dates listed. */
const promisedUnmoved = (f: NotificationFacts): boolean => Boolean(f.dueOn) && !(f.moved ?? []).some((m) => m.limit === 'promised');

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
  suspended: {
    'zh-CN': (f, l) => ({ title: `办理已中止：${name(f.service, l)}`, body: `您申请的“${name(f.service, l)}”${receipt(f, l)}因${suspensionName(f, l)}中止办理，中止期间不计入办理期限。中止理由请登录查看。` }),
    en: (f, l) => ({ title: `Case paused: ${name(f.service, l)}`, body: `Your application for "${name(f.service, l)}"${receipt(f, l)} is paused for ${suspensionName(f, l)}; the time it is paused does not count towards its time limits. Sign in to read why.` }),
  },
  // The title says dates moved too: a text message carries only the title.
  resumed: {
    'zh-CN': (f, l) => ({
      title: `办理已恢复${f.moved?.length ? '，期限已顺延' : ''}：${name(f.service, l)}`,
      body: `您申请的“${name(f.service, l)}”${receipt(f, l)}已恢复办理${f.moved?.length ? `，${movedList(f, l)}` : ''}${promisedUnmoved(f) ? `，承诺办结日期 ${f.dueOn}` : ''}。`,
    }),
    en: (f, l) => ({
      title: `Case resumed${f.moved?.length ? ', dates moved' : ''}: ${name(f.service, l)}`,
      body: `Your application for "${name(f.service, l)}"${receipt(f, l)} is being handled again${f.moved?.length ? `: ${movedList(f, l)}` : ''}${promisedUnmoved(f) ? `. Promised decision by ${f.dueOn}` : ''}.`,
    }),
  },
  datesMoved: {
    'zh-CN': (f, l) => ({ title: `办理期限已调整：${name(f.service, l)}`, body: `您申请的“${name(f.service, l)}”${receipt(f, l)}${name(MOVED_CAUSES[f.cause ?? 'other'], l)}：${movedList(f, l)}。` }),
    en: (f, l) => ({ title: `Dates changed: ${name(f.service, l)}`, body: `Your application for "${name(f.service, l)}"${receipt(f, l)}: ${name(MOVED_CAUSES[f.cause ?? 'other'], l)}: ${movedList(f, l)}.` }),
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
