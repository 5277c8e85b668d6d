// The clerk's case page: evidence provenance and conflict flags, materials, timeline, and the actions the case takes
// next, each sent with If-Match (the revision on screen) and a fresh Idempotency-Key.
import { ApiError, caseCommand, downloadMaterialFile, newKey } from './api.js';
import { documentsCard } from './documents.js';
import { dataItemName, departmentName, fieldLabel, materialName } from './catalogue.js';
import { field, h, replace } from './dom.js';
import { localized, t, tOr } from './i18n.js';
import { flash, loading, problemBox, rerender, setTitle, show, showProblem } from './layout.js';
import { bytes, dateTime, day, daysLeft, fieldValue, shortHash, statusBadge, statusLabel } from './format.js';
import { followCase, loadCase, pastBanner, pastCase, timeline } from './widgets.js';
import { workSection } from './clerk-work.js';
import { officeFacts } from './office.js';

// ---------------------------------------------------------------- the case

/** Clerk commands in the order the panel offers them, with their endpoint and the form they need. */
const COMMANDS = [
  ['AcceptCase', 'accept', null],
  ['RequestSupplement', 'supplement-request', 'supplement'],
  ['NotAcceptCase', 'not-accept', 'reason'],
  ['StartJointReview', 'joint-review', null],
  ['GiveOpinion', 'opinion', 'opinion'],
  ['ApproveCase', 'approve', 'reasonsOptional'],
  ['DenyCase', 'deny', 'reasons'],
  ['ExtendDeadline', 'extend', 'extend'],
  ['SuspendCase', 'suspend', 'suspend'],
  ['ResumeCase', 'resume', null],
  ['IssueCertificate', 'certificate', null],
  ['VerifyCommitment', 'commitment-verification', null],
  ['RevokeApproval', 'revocation', 'reason'],
  ['RefundPayment', 'refund', 'refund'],
  ['AnswerComplaint', 'complaint-answer', 'response'],
];
const DANGER = new Set(['NotAcceptCase', 'DenyCase', 'RevokeApproval']);
const MAIN = new Set(['AcceptCase', 'ApproveCase', 'IssueCertificate', 'ResumeCase', 'VerifyCommitment', 'GiveOpinion']);
const lines = (text) => String(text ?? '').split('\n').map((s) => s.trim()).filter(Boolean);

export async function casePage(caseId, session) {
  const state = { view: null, def: null, list: [], loadError: null, busy: false, open: null, inputs: {}, past: null };
  const actionError = h('div', { class: 'error-slot', id: 'action-error' });
  let follow = { reset: () => {} };

  const load = () => loadCase(state, caseId);

  /** Runs a command on the case; true when it was recorded. */
  async function execute(type, path, body) {
    if (state.busy) return false;
    state.busy = true;
    replace(actionError);
    rerender();
    try {
      await caseCommand(caseId, path, body, { key: newKey(), revision: state.view.revision });
      state.open = null;
      state.inputs = {};
      await load();
      state.busy = false;
      rerender();
      // The button that was clicked is gone with the re-render; keep keyboard users in the actions panel.
      document.getElementById('actions-title')?.focus({ preventScroll: true });
      flash(t('clerk.done', { action: t(`cmd.${type}`) }));
      return true;
    } catch (error) {
      state.busy = false;
      if (error instanceof ApiError && error.status === 409) await load();
      rerender();
      const box = showProblem(actionError, error);
      if (error instanceof ApiError && error.status === 409) box.append(h('p', { class: 'small' }, t('clerk.stale')));
      return false;
    }
  }

  const work = workSection({ clerk: session.principal, execute, rerender });

  async function refresh() {
    state.busy = true;
    rerender();
    await load();
    state.busy = false;
    follow.reset();
    rerender();
    flash(t('common.updated'), 'info');
  }

  const isLead = () => state.view.department === session.principal.department;

  function available() {
    const allowed = new Set(state.view.allowed ?? []);
    return COMMANDS.filter(([type]) => allowed.has(type) && (type === 'GiveOpinion' ? !isLead() || (state.view.coReviewers ?? []).includes(session.principal.department) : isLead()));
  }

  function input(type, name, make) {
    state.inputs[type] ??= {};
    const el = make();
    const key = el.type === 'checkbox' ? 'checked' : 'value';
    if (state.inputs[type][name] !== undefined) el[key] = state.inputs[type][name];
    el.addEventListener(el.tagName === 'SELECT' || el.type === 'checkbox' || el.type === 'radio' ? 'change' : 'input', () => { state.inputs[type][name] = el[key]; });
    return el;
  }

  function commandForm(type, path, kind) {
    const values = () => state.inputs[type] ?? {};
    let controls = [];
    let body = () => ({});
    if (kind === 'reason') {
      controls = [field(t('cmdForm.reason'), input(type, 'reason', () => h('textarea', { id: `${type}-reason`, rows: '3', maxlength: '1000' })))];
      body = () => ({ reason: String(values().reason ?? '').trim() });
    } else if (kind === 'reasons' || kind === 'reasonsOptional') {
      controls = [field(t(kind === 'reasons' ? 'cmdForm.reasons' : 'cmdForm.reasonsOptional'), input(type, 'reasons', () => h('textarea', { id: `${type}-reasons`, rows: '3' })))];
      body = () => (kind === 'reasons' || lines(values().reasons).length ? { reasons: lines(values().reasons) } : {});
    } else if (kind === 'opinion') {
      state.inputs[type] ??= {};
      const radios = ['approve', 'deny'].map((o) => h('span', { class: 'check' },
        h('input', { type: 'radio', name: `${type}-opinion`, id: `${type}-${o}`, value: o, checked: (values().opinion ?? 'approve') === o, dataset: { opinion: o },
          on: { change: () => { state.inputs[type].opinion = o; } } }),
        h('label', { for: `${type}-${o}` }, t(`cmdForm.opinion.${o}`))));
      controls = [h('fieldset', {}, h('legend', {}, t('cmdForm.opinion')), radios),
        field(t('cmdForm.comment'), input(type, 'comment', () => h('textarea', { id: `${type}-comment`, rows: '3', maxlength: '2000' })))];
      body = () => ({ opinion: values().opinion ?? 'approve', comment: String(values().comment ?? '').trim() });
    } else if (kind === 'extend') {
      controls = [
        field(t('cmdForm.days'), input(type, 'days', () => h('input', { type: 'number', id: `${type}-days`, min: '1', max: '60', value: '5' }))),
        field(t('cmdForm.reason'), input(type, 'reason', () => h('textarea', { id: `${type}-reason`, rows: '2', maxlength: '1000' }))),
      ];
      body = () => ({ days: Number(values().days ?? 5), reason: String(values().reason ?? '').trim() });
    } else if (kind === 'suspend') {
      controls = [
        field(t('cmdForm.kind'), input(type, 'kind', () => h('select', { id: `${type}-kind` }, ['hearing', 'testing', 'inspection', 'expert_review'].map((k) => h('option', { value: k }, t(`suspend.${k}`)))))),
        field(t('cmdForm.reason'), input(type, 'reason', () => h('textarea', { id: `${type}-reason`, rows: '2', maxlength: '1000' }))),
      ];
      body = () => ({ kind: values().kind ?? 'hearing', reason: String(values().reason ?? '').trim() });
    } else if (kind === 'refund') {
      controls = [
        field(t('cmdForm.refundYuan'), input(type, 'amount', () => h('input', { type: 'number', id: `${type}-amount`, min: '0.01', step: '0.01' }))),
        field(t('cmdForm.reason'), input(type, 'reason', () => h('textarea', { id: `${type}-reason`, rows: '2', maxlength: '500' }))),
      ];
      body = () => {
        const amount = Math.round(Number(values().amount) * 100);
        return { reason: String(values().reason ?? '').trim(), ...(amount > 0 ? { amount } : {}) };
      };
    } else if (kind === 'response') {
      controls = [field(t('cmdForm.response'), input(type, 'response', () => h('textarea', { id: `${type}-response`, rows: '3', maxlength: '2000' })))];
      body = () => ({ response: String(values().response ?? '').trim() });
    } else if (kind === 'supplement') {
      controls = [supplementChecklist(type)];
      body = () => {
        const items = state.def.materials.filter((m) => values()[`pick-${m.id}`]).map((m) => ({ materialId: m.id, note: String(values()[`note-${m.id}`] ?? '').trim() }));
        return { items };
      };
    }
    const id = `form-${type}`;
    return h('form', { class: 'stack command-form', id, dataset: { form: type }, on: { submit: (e) => {
      e.preventDefault();
      const payload = body();
      if (kind === 'supplement' && !payload.items.length) return showProblem(actionError, new Error(t('cmdForm.pickOne')));
      void execute(type, path, payload);
    } } }, controls,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: DANGER.has(type) ? 'danger' : 'primary', disabled: state.busy, dataset: { confirm: type } }, t('cmdForm.run', { action: t(`cmd.${type}`) })),
      h('button', { type: 'button', on: { click: () => { state.open = null; rerender(); } } }, t('common.cancel'))));
  }

  function supplementChecklist(type) {
    const v = state.view;
    state.inputs[type] ??= {};
    const values = state.inputs[type];
    // First opening: every key upload still missing is ticked; the clerk adds whatever else is needed.
    if (!values.initialised) {
      values.initialised = true;
      for (const m of state.def.materials) {
        const status = v.materials?.[m.id]?.status;
        if (m.kind === 'upload' && m.key && status !== 'uploaded') values[`pick-${m.id}`] = true;
      }
    }
    return h('fieldset', { class: 'checklist' }, h('legend', {}, t('cmdForm.items')),
      state.def.materials.map((m) => {
        const status = v.materials?.[m.id]?.status;
        const settled = status === 'uploaded' || status === 'received';
        const pick = input(type, `pick-${m.id}`, () => h('input', { type: 'checkbox', id: `pick-${m.id}`, disabled: settled, dataset: { pick: m.id } }));
        const note = input(type, `note-${m.id}`, () => h('input', { type: 'text', id: `note-${m.id}`, maxlength: '500', disabled: settled, 'aria-label': t('cmdForm.noteFor', { name: localized(m.name) }), placeholder: t('cmdForm.note'), dataset: { note: m.id } }));
        return h('div', { class: 'checklist-row' },
          h('div', { class: 'check' }, pick, h('label', { for: pick.id }, localized(m.name), ' ', status ? h('span', { class: `tag mat-${status}` }, tOr(`material.status.${status}`, status)) : null)),
          note);
      }));
  }

  function actionsPanel() {
    const commands = available();
    return h('aside', { class: 'card actions-panel', 'aria-labelledby': 'actions-title' },
      h('div', { class: 'card-title-row' }, h('h2', { id: 'actions-title', tabindex: '-1' }, t('clerk.actions')),
        h('button', { type: 'button', class: 'small-button', id: 'refresh', disabled: state.busy, on: { click: () => void refresh() } }, t('common.refresh'))),
      h('p', { class: 'muted small' }, t('clerk.revision', { rev: state.view.revision })),
      actionError,
      work.render(state.view, state.busy),
      commands.length ? null : h('p', { class: 'muted' }, t('clerk.noActions')),
      h('div', { class: 'action-buttons' }, commands.map(([type, path, kind]) => {
        const open = state.open === type;
        return h('div', { class: 'action' },
          h('button', {
            type: 'button',
            class: DANGER.has(type) ? 'danger-outline' : MAIN.has(type) ? 'primary' : '',
            disabled: state.busy,
            'aria-expanded': kind ? String(open) : null,
            'aria-controls': kind ? `form-${type}` : null,
            dataset: { action: type },
            on: { click: () => {
              if (!kind) return void execute(type, path, {});
              state.open = open ? null : type;
              rerender();
              document.getElementById(`form-${type}`)?.querySelector(/** @type {'input'} */ ('input:not([disabled]),textarea,select'))?.focus();
            } },
          }, t(`cmd.${type}`)),
          open ? commandForm(type, path, kind) : null);
      })));
  }

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

  function obligations(v) {
    if (!v.obligations?.length) return null;
    return h('div', { class: 'hint', id: 'obligations' }, h('strong', {}, t('clerk.obligations'), '：'),
      h('ul', {}, v.obligations.map((o) => {
        const level = o.providedOn ? null : o.reminders?.some((r) => r.level === 'red') ? 'red' : o.reminders?.some((r) => r.level === 'yellow') ? 'yellow' : null;
        return h('li', { dataset: { material: o.materialId, met: String(o.providedOn !== null) } },
          o.providedOn
            ? t('clerk.obligation.met', { name: materialName(state.def, o.materialId), date: day(o.providedOn) })
            : t('clerk.obligation.open', { name: materialName(state.def, o.materialId), date: day(o.dueOn) }),
          level ? [' ', h('span', { class: `flag flag-${level}` }, t(`clerk.obligation.${level}`))] : null);
      })));
  }

  function header(v = state.view) {
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
      h('div', { class: 'case-title-row' }, h('h1', { id: 'case-title' }, localized(state.def.name)), statusBadge(v.status, v.decision?.outcome),
        v.overdue ? h('span', { class: 'flag flag-red' }, t('case.overdue')) : v.warning ? h('span', { class: 'flag flag-yellow' }, t('case.warning')) : null),
      h('p', { class: 'muted small' }, `${t('common.caseId')}：`, h('code', {}, v.caseId)),
      h('dl', { class: 'facts' }, facts.map(([k, value]) => h('div', {}, h('dt', {}, k === 'case.intakeLeft' ? t('queue.dueKind.intake') : t(k)), h('dd', {}, value)))),
      clockStopped(v),
      instantWithheld(v),
      obligations(v),
      v.missingNonKey?.length ? h('p', { class: 'hint' }, t('clerk.missingNonKey', { names: v.missingNonKey.map((id) => materialName(state.def, id)).join('、') })) : null,
      v.supplement ? h('p', { class: 'hint' }, `${t('supplement.title')}：`, v.supplement.items.map((i) => materialName(state.def, i.materialId)).join('、'),
        ` · ${day(v.supplement.requestedOn)} → ${day(v.supplement.dueOn)}`, v.supplement.providedOn ? ` · ${t('supplement.providedOn', { date: day(v.supplement.providedOn) })}` : '') : null);
  }

  function evidenceCard(v = state.view) {
    const entries = Object.values(v.evidence ?? {});
    return h('section', { class: 'card', 'aria-labelledby': 'evidence-title' },
      h('h2', { id: 'evidence-title' }, t('clerk.evidence')),
      entries.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table evidence', id: 'evidence' },
        h('thead', {}, h('tr', {}, ['clerk.material', 'clerk.provider', 'clerk.status', 'clerk.trust', 'clerk.when', 'clerk.hash', 'clerk.quality'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, entries.map((e) => {
          const conflicted = (e.conflicts ?? []).length > 0;
          return [
            h('tr', { class: conflicted ? 'row-conflict' : '', dataset: { material: e.materialId } },
              h('td', {}, h('strong', {}, materialName(state.def, e.materialId)),
                dataItemName(e.dataItem) !== materialName(state.def, e.materialId) ? h('div', { class: 'muted small' }, dataItemName(e.dataItem)) : null,
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

  /** The uploaded file: opening it is logged as a use of the applicant's data, so it is a deliberate click. */
  function fileButton(materialId, file) {
    const open = async () => {
      replace(actionError);
      try {
        await downloadMaterialFile(caseId, materialId, file.fileName);
      } catch (error) {
        showProblem(actionError, error);
      }
    };
    return h('div', {},
      h('button', { type: 'button', class: 'small-button', dataset: { file: materialId }, title: t('clerk.fileLogged'), on: { click: () => void open() } }, t('clerk.download')),
      h('div', { class: 'muted small' }, `${file.fileName} · ${bytes(file.size)} · ${dateTime(file.uploadedAt)}`));
  }

  /** `past`: a past view shows what the files were, without opening today's files from it. */
  function materialsCard(v = state.view, past = false) {
    const ids = [...new Set([...state.def.materials.map((m) => m.id), ...Object.keys(v.materials ?? {})])];
    return h('section', { class: 'card', 'aria-labelledby': 'materials-title' },
      h('h2', { id: 'materials-title' }, t('materials.title')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'materials' },
        h('thead', {}, h('tr', {}, ['clerk.material', 'clerk.kind', 'clerk.status', 'clerk.file', 'clerk.flags'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, ids.map((id) => {
          const m = v.materials?.[id] ?? {};
          const reason = m.reason ?? m.unavailableReason;
          return h('tr', { dataset: { material: id } },
            h('td', {}, materialName(state.def, id), ' ', h('span', { class: `tag ${m.key ? 'tag-warn' : ''}` }, t(m.key ? 'materials.key' : 'materials.nonKey'))),
            h('td', {}, t(`materials.kind.${m.kind ?? 'upload'}`)),
            h('td', {}, m.status ? h('span', { class: `tag mat-${m.status}` }, tOr(`material.status.${m.status}`, m.status)) : '—',
              reason ? h('div', { class: 'muted small' }, tOr(`reason.${reason}`, reason)) : null),
            h('td', {}, m.file ? (past ? h('span', { class: 'muted small' }, `${m.file.fileName} · ${bytes(m.file.size)} · ${dateTime(m.file.uploadedAt)}`) : fileButton(id, m.file)) : '—'),
            h('td', {},
              m.conflicted ? h('span', { class: 'flag flag-red' }, t('clerk.conflict')) : null,
              m.explicitRequest ? h('span', { class: 'tag' }, t('clerk.explicitFlag')) : null,
              m.preview ? h('span', { class: 'tag' }, t('clerk.previewFlag')) : null));
        })))));
  }

  function formCard(v = state.view) {
    return h('section', { class: 'card', 'aria-labelledby': 'form-title' }, h('h2', { id: 'form-title' }, t('case.form')),
      h('dl', { class: 'facts' }, state.def.form.map((f) => h('div', {}, h('dt', {}, localized(f.label)), h('dd', {}, fieldValue(v.form?.[f.name]))))));
  }

  function decisionCard(v = state.view) {
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

  /** "What the clerk saw": the case as of the revision a decision was made on, read-only, with the same cards. */
  async function openPast(revision) {
    replace(actionError);
    try {
      state.past = await pastCase(caseId, revision);
      rerender();
      document.getElementById('past-view-banner')?.scrollIntoView({ block: 'start' });
      document.getElementById('past-close')?.focus({ preventScroll: true });
    } catch (error) {
      showProblem(actionError, error).prepend(h('p', {}, t('past.loadFailed')));
    }
  }

  function closePast() {
    state.past = null;
    rerender();
    document.getElementById('timeline')?.scrollIntoView({ block: 'start' });
  }

  function timelineCard(v, past) {
    return h('section', { class: 'card', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, t('case.timeline')),
      timeline(v.timeline, state.def, past ? { id: 'past-timeline' } : { onSeen: (rev) => void openPast(rev) }));
  }

  show(() => {
    const back = h('p', {}, h('a', { href: '/clerk' }, `← ${t('nav.queue')}`));
    if (state.loadError) return [back, problemBox(state.loadError)];
    if (!state.view || !state.def) return [back, loading()];
    setTitle(`${localized(state.def.name)} · ${statusLabel(state.view.status)}`);
    if (state.past) {
      const v = state.past;
      return [
        back,
        h('div', { class: 'stack past-view', id: 'past-view', dataset: { revision: String(v.revision) } },
          pastBanner(v, closePast), actionError, header(v), decisionCard(v), evidenceCard(v), materialsCard(v, true), formCard(v), timelineCard(v, true)),
      ];
    }
    return [
      back,
      h('div', { class: 'workbench' },
        h('div', { class: 'stack' }, header(), ...officeFacts(state.view), decisionCard(), documentsCard(state.view, { holder: false, onError: (error) => showProblem(actionError, error) }), evidenceCard(), materialsCard(), formCard(), timelineCard(state.view, false)),
        actionsPanel()),
    ];
  });
  await load();
  rerender();

  // Every read of a case by a clerk is recorded as a use of the applicant's data, so the page does not poll while
  // people act (the Refresh button is there); it follows the case only while the evidence worker fetches, briefly.
  follow = followCase(caseId, state, (v) => v.status === 'gatheringEvidence' && !state.busy && !state.open, { maxPolls: 40 });
}
