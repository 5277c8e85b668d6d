// The clerk's case page: evidence provenance and conflict flags, materials, timeline, and the actions the case takes
// next, each sent with If-Match (the revision on screen) and a fresh Idempotency-Key.
import { ApiError, caseCommand, downloadMaterialFile, newKey } from './api.js';
import { documentsCard } from './documents.js';
import { materialName } from './catalogue.js';
import { field, h, replace } from './dom.js';
import { localized, t, tOr } from './i18n.js';
import { flash, loading, problemBox, rerender, setTitle, show, showProblem } from './layout.js';
import { bytes, dateTime, statusLabel } from './format.js';
import { followCase, loadCase, pastBanner, pastCase, timeline } from './widgets.js';
import { workSection } from './clerk-work.js';
import { officeFacts, yuan } from './office.js';
import { caseHeader, decisionCard, evidenceCard, formCard } from './clerk-case-cards.js';

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
      const result = await caseCommand(caseId, path, body, { key: newKey(), revision: state.view.revision });
      if (result && result.status === 'pending' && result.refundId) {
        // The provider took the refund but has not made it yet (202): nothing is on record, so it is not "done". The
        // form stays as it was; sent again once the provider is through, the same refund is found and recorded.
        state.busy = false;
        await load();
        rerender();
        replace(actionError, h('div', { class: 'alert alert-info', id: 'refund-pending', role: 'status' }, t('refund.pending', { refundId: result.refundId, amount: yuan(result.amount) })));
        return false;
      }
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
      const problem = error instanceof ApiError ? error.problem : null;
      const slug = error instanceof ApiError ? error.slug : '';
      if (slug === 'refund-not-on-record' && typeof problem.refundId === 'string' && Number.isInteger(problem.amount)) {
        // A refund the provider made under the case's next id, for another amount, and never recorded (a stopped
        // process, another clerk's request): the money has moved, so the page offers to record exactly that refund.
        const { refundId, amount } = problem;
        const record = async () => {
          if (await execute('RefundPayment', 'refund', { reason: String(state.inputs.RefundPayment?.reason ?? '').trim(), refundId, amount })) {
            // Not the refund the clerk asked for: that one was never made, and "done" would say it was.
            flash(t('refund.recorded', { refundId, amount: yuan(amount) }), 'info');
          }
        };
        box.append(h('p', { class: 'alert-detail', id: 'refund-not-on-record' }, t('refund.notOnRecord', { refundId, amount: yuan(amount) })),
          h('button', { type: 'button', class: 'primary', id: 'record-refund', dataset: { refundId }, on: { click: () => void record() } },
            t('refund.record', { refundId, amount: yuan(amount) })));
      } else if (error instanceof ApiError && error.status === 409 && !slug.startsWith('refund-')) box.append(h('p', { class: 'small' }, t('clerk.stale')));
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
          pastBanner(v, closePast), actionError, caseHeader(v, state.def), decisionCard(v), evidenceCard(v, state.def), materialsCard(v, true), formCard(v, state.def), timelineCard(v, true)),
      ];
    }
    return [
      back,
      h('div', { class: 'workbench' },
        h('div', { class: 'stack' }, caseHeader(state.view, state.def), ...officeFacts(state.view), decisionCard(state.view), documentsCard(state.view, { holder: false, onError: (error) => showProblem(actionError, error) }), evidenceCard(state.view, state.def), materialsCard(), formCard(state.view, state.def), timelineCard(state.view, false)),
        actionsPanel()),
    ];
  });
  await load();
  rerender();

  // Every read of a case by a clerk is recorded as a use of the applicant's data, so the page does not poll while
  // people act (the Refresh button is there); it follows the case only while the evidence worker fetches, briefly.
  follow = followCase(caseId, state, (v) => v.status === 'gatheringEvidence' && !state.busy && !state.open, { maxPolls: 40 });
}
