// @ts-check
// The cards of a clerk's case page that only show the case: its heading, evidence, form and decision. The same cards
// show a past revision ("what the clerk saw"), so each takes the view it shows rather than the page's state.
import { dataItemName, departmentName, fieldLabel, materialName } from './catalogue.js';
import { h } from './dom.js';
import { localized, t, tOr } from './i18n.js';
import { dateTime, day, daysLeft, fieldValue, shortHash, statusBadge } from './format.js';

function clockStopped(v) {
  const reason = v.clockStoppedReason;
  if (!reason && !v.daysLeft?.clockStopped) return null;
  const text = reason?.kind === 'supplement' || v.status === 'awaitingSupplement'
    ? t('clerk.clockStopped.supplement', { date: day(reason?.until ?? v.supplement?.dueOn) })
    : t('case.clockStopped');
  return h('p', { class: 'tag tag-warn', id: 'clock-stopped', dataset: { reason: reason?.kind ?? '' } }, text);
}

/** Why 秒批 did not decide: the reasons are the clerk's starting point. */
function instantWithheld(v) {
  if (!v.instantApproval || v.decision) return null;
  return h('div', { class: 'alert alert-warn', id: 'instant-withheld', dataset: { kind: v.instantApproval.kind } },
    h('strong', {}, t('clerk.instantWithheld'), ' · ', t(`clerk.instantWithheld.${v.instantApproval.kind}`)),
    h('ul', { class: 'issues' }, v.instantApproval.reasons.map((r) => h('li', {}, r))));
}

function obligations(v, def) {
  if (!v.obligations?.length) return null;
  return h('div', { class: 'hint', id: 'obligations' }, h('strong', {}, t('clerk.obligations'), '：'),
    h('ul', {}, v.obligations.map((o) => {
      const level = o.providedOn ? null : o.reminders?.some((r) => r.level === 'red') ? 'red' : o.reminders?.some((r) => r.level === 'yellow') ? 'yellow' : null;
      return h('li', { dataset: { material: o.materialId, met: String(o.providedOn !== null) } },
        o.providedOn
          ? t('clerk.obligation.met', { name: materialName(def, o.materialId), date: day(o.providedOn) })
          : t('clerk.obligation.open', { name: materialName(def, o.materialId), date: day(o.dueOn) }),
        level ? [' ', h('span', { class: `flag flag-${level}` }, t(`clerk.obligation.${level}`))] : null);
    })));
}

/**
 * The case's heading card: its facts, dates and days left, and why its clock stopped or 秒批 did not decide.
 * @param {any} v the case view
 * @param {any} def its service definition
 */
export function caseHeader(v, def) {
  const left = v.decision || !v.open ? {} : v.daysLeft ?? {};
  const kind = v.limits?.dayKind ?? 'working';
  const facts = [
    ['case.receiptNo', v.receiptNo],
    ['case.applicant', `${t(`applicantType.${v.applicant?.type ?? 'person'}`)} · ${v.applicantId ?? v.applicant?.id ?? ''}`],
    ['case.submittedOn', v.submittedOn ? day(v.submittedOn) : null],
    ['case.acceptedOn', v.acceptedOn ? day(v.acceptedOn) : null],
    ['case.promisedDue', v.due?.promised ? [day(v.due.promised), ' ', left.promised === undefined ? null : h('strong', { class: 'days-left' }, daysLeft(left.promised, kind))] : null],
    ['case.statutoryDue', v.due?.statutory ? [day(v.due.statutory), ' ', left.statutory === undefined ? null : h('span', { class: 'muted' }, daysLeft(left.statutory, kind))] : null],
    ['case.intakeLeft', left.intake !== null && left.intake !== undefined ? [day(v.intakeDueOn), ' ', daysLeft(left.intake, 'working')] : null],
    ['case.coReviewers', v.coReviewers?.length ? v.coReviewers.map(departmentName).join('、') : null],
  ].filter(([, value]) => value);
  return h('section', { class: 'card case-head', 'aria-labelledby': 'case-title' },
    h('div', { class: 'case-title-row' }, h('h1', { id: 'case-title' }, localized(def.name)), statusBadge(v.status, v.decision?.outcome),
      v.overdue ? h('span', { class: 'flag flag-red' }, t('case.overdue')) : v.warning ? h('span', { class: 'flag flag-yellow' }, t('case.warning')) : null),
    h('p', { class: 'muted small' }, `${t('common.caseId')}：`, h('code', {}, v.caseId)),
    h('dl', { class: 'facts' }, facts.map(([k, value]) => h('div', {}, h('dt', {}, k === 'case.intakeLeft' ? t('queue.dueKind.intake') : t(k)), h('dd', {}, value)))),
    clockStopped(v),
    instantWithheld(v),
    obligations(v, def),
    v.missingNonKey?.length ? h('p', { class: 'hint' }, t('clerk.missingNonKey', { names: v.missingNonKey.map((id) => materialName(def, id)).join('、') })) : null,
    v.supplement ? h('p', { class: 'hint' }, `${t('supplement.title')}：`, v.supplement.items.map((i) => materialName(def, i.materialId)).join('、'),
      ` · ${day(v.supplement.requestedOn)} → ${day(v.supplement.dueOn)}`, v.supplement.providedOn ? ` · ${t('supplement.providedOn', { date: day(v.supplement.providedOn) })}` : '') : null);
}

/**
 * What the departments answered, with trust, hashes, quality issues and conflicts.
 * @param {any} v
 * @param {any} def
 */
export function evidenceCard(v, def) {
  const entries = Object.values(v.evidence ?? {});
  return h('section', { class: 'card', 'aria-labelledby': 'evidence-title' },
    h('h2', { id: 'evidence-title' }, t('clerk.evidence')),
    entries.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table evidence', id: 'evidence' },
      h('thead', {}, h('tr', {}, ['clerk.material', 'clerk.provider', 'clerk.status', 'clerk.trust', 'clerk.when', 'clerk.hash', 'clerk.quality'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, entries.map((e) => {
        const conflicted = (e.conflicts ?? []).length > 0;
        return [
          h('tr', { class: conflicted ? 'row-conflict' : '', dataset: { material: e.materialId } },
            h('td', {}, h('strong', {}, materialName(def, e.materialId)),
              dataItemName(e.dataItem) !== materialName(def, e.materialId) ? h('div', { class: 'muted small' }, dataItemName(e.dataItem)) : null,
              conflicted ? h('span', { class: 'flag flag-red conflict', dataset: { conflict: e.materialId } }, t('clerk.conflict')) : null),
            h('td', {}, departmentName(e.provider)),
            h('td', {}, h('span', { class: `tag ev-${e.status}` }, tOr(`evidenceStatus.${e.status}`, e.status)),
              e.unavailable ? h('div', { class: 'small' }, t('clerk.unavailable', { reason: tOr(`reason.${e.unavailable.reason}`, e.unavailable.reason) }), e.unavailable.detail && document.documentElement.lang === 'en' ? h('div', { class: 'muted small' }, e.unavailable.detail) : null) : null),
            h('td', {}, e.trustLevel ? h('span', { class: `trust trust-${e.trustLevel}`, title: tOr(`trust.${e.trustLevel}`, e.trustLevel) }, e.trustLevel) : '—'),
            h('td', { class: 'small' },
              h('div', {}, h('span', { class: 'muted' }, `${t('clerk.requestedAt')} `), dateTime(e.requestedAt)),
              h('div', {}, h('span', { class: 'muted' }, `${t('clerk.retrievedAt')} `), dateTime(e.retrievedAt))),
            h('td', {}, e.contentHash ? h('code', { class: 'hash', title: e.contentHash, tabindex: '0' }, shortHash(e.contentHash)) : '—'),
            h('td', {}, (e.qualityIssues ?? []).length ? h('ul', { class: 'issues' }, e.qualityIssues.map((q) => h('li', {}, q))) : '—')),
          conflicted ? h('tr', { class: 'row-conflict detail' }, h('td', { colspan: '7' },
            e.conflicts.map((c) => h('div', {}, h('strong', {}, t('clerk.conflictDetail', { field: c.field })), '：',
              c.values.map((val) => `${val.source} = ${fieldValue(val.value)}`).join(' ≠ '))))) : null,
          e.fields ? h('tr', { class: 'detail' }, h('td', { colspan: '7' }, h('details', {}, h('summary', {}, t('clerk.fields')),
            h('dl', { class: 'facts compact' }, Object.entries(e.fields).map(([k, val]) => h('div', {}, h('dt', {}, fieldLabel(e.dataItem, k)), h('dd', {}, fieldValue(val)))))))) : null,
        ];
      })))) : h('p', { class: 'muted' }, t('clerk.noEvidence')));
}

/**
 * @param {any} v
 * @param {any} def
 */
export function formCard(v, def) {
  return h('section', { class: 'card', 'aria-labelledby': 'form-title' }, h('h2', { id: 'form-title' }, t('case.form')),
    h('dl', { class: 'facts' }, def.form.map((f) => h('div', {}, h('dt', {}, localized(f.label)), h('dd', {}, fieldValue(v.form?.[f.name]))))));
}

/** @param {any} v */
export function decisionCard(v) {
  const parts = [];
  if (v.jointReview) {
    parts.push(h('h3', {}, t('case.jointReview')), h('ul', {}, v.jointReview.departments.map((d) => {
      const o = v.jointReview.opinions?.[d];
      return h('li', {}, `${departmentName(d)}：`, o ? `${t(`cmdForm.opinion.${o.opinion}`)}${o.comment ? ` — ${o.comment}` : ''}` : h('span', { class: 'muted' }, t('case.opinionPending')));
    })));
  }
  if (v.decision) {
    parts.push(h('p', {}, h('strong', {}, t(`case.decision.${v.decision.outcome}`)), ` · ${tOr(`case.decision.by.${v.decision.by}`, v.decision.by)} · ${day(v.decision.decidedOn)}`));
    if (v.decision.reasons?.length) parts.push(h('ul', {}, v.decision.reasons.map((r) => h('li', {}, r))));
  }
  if (v.notAccepted) parts.push(h('p', {}, h('strong', {}, t('case.notAccepted')), `：${v.notAccepted.reason}`));
  if (v.certificate) parts.push(h('p', {}, `${t('certificate.no')}：`, h('strong', { class: 'mono', id: 'certificate-no' }, v.certificate.certificateNo), ` · ${day(v.certificate.issuedOn)}`));
  for (const e of v.extensions ?? []) parts.push(h('p', {}, t('case.extension', { days: e.days, reason: e.reason })));
  for (const s of v.suspensions ?? []) parts.push(h('p', {}, t('case.suspension', { kind: tOr(`suspend.${s.kind}`, s.kind), reason: s.reason, from: day(s.suspendedOn), to: s.resumedOn ? t('case.suspensionTo', { date: day(s.resumedOn) }) : '' })));
  if (v.withdrawal) parts.push(h('p', {}, h('strong', {}, t('case.withdrawn')), v.withdrawal.reason ? `：${v.withdrawal.reason}` : ''));
  if (!parts.length) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'decision-title' }, h('h2', { id: 'decision-title' }, t('case.decision')), parts);
}
