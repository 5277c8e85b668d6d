// The citizen's case page: status and due dates, supplement notice, evidence preview, certificate, rating, timeline.
import { caseCommand, commandHeaders, downloadMaterialFile, errand, newKey, send } from './api.js';
import { documentsCard } from './documents.js';
import { departmentName, fieldLabel, materialName, providerOf } from './catalogue.js';
import { field, h, replace, uid } from './dom.js';
import { localized, t, tOr } from './i18n.js';
import { flash, loading, main, problemBox, rerender, setTitle, show, showProblem } from './layout.js';
import { bytes, dateTime, day, daysLeft, fieldValue, statusBadge, statusLabel } from './format.js';
import { followCase, formControls, loadCase, readForm, timeline } from './widgets.js';
import { errorSummary, issuesFromProblem } from './form-errors.js';
import { formIssues, localToday } from './form-rules.js';
import { agentLine, complaintCard, feeCard, reconsiderationCard } from './office.js';

// ---------------------------------------------------------------- the case page

const QUIET = new Set(['withdrawn', 'notAccepted', 'revoked', 'denied']);

export async function casePage(caseId) {
  const state = { view: null, def: null, loadError: null, busy: false, values: null, explicit: null, commitment: false, rating: 0, comment: '' };
  const errorSlot = h('div', { class: 'error-slot', id: 'case-error' });

  const load = () => loadCase(state, caseId);

  /** Runs a citizen command, then shows the case as it is after it. */
  async function run(label, call) {
    if (state.busy) return;
    state.busy = true;
    replace(errorSlot);
    try {
      await call();
      await load();
      state.busy = false;
      rerender();
      // The control that was used is gone with the re-render; the heading with the new status takes the focus.
      document.getElementById('case-title')?.focus({ preventScroll: true });
      if (label) flash(label);
    } catch (error) {
      state.busy = false;
      rerender();
      showProblem(errorSlot, error);
    }
  }

  /** Saves the draft form; a 422 naming fields is shown beside them, like the page's own checks. */
  async function saveDraft(form) {
    if (state.busy) return;
    state.busy = true;
    replace(errorSlot);
    try {
      await send(errand.PUT('/cases/{caseId}/form', { params: { path: { caseId } }, body: { form }, headers: commandHeaders(newKey()) }));
      state.formIssues = [];
      await load();
      state.busy = false;
      rerender();
      flash(t('common.saved'));
    } catch (error) {
      state.busy = false;
      state.formIssues = issuesFromProblem(error) ?? [];
      rerender();
      if (state.formIssues.length) document.getElementById('error-summary')?.focus();
      else showProblem(errorSlot, error);
    }
  }

  const command = (action, body = {}) => () => caseCommand(caseId, action, body, { key: newKey() });
  const can = (type) => (state.view?.allowed ?? []).includes(type);

  function upload(material, { compact = false } = {}) {
    const def = state.def.materials.find((m) => m.id === material) ?? { id: material, kind: 'evidence', name: material };
    const id = uid('upload');
    // Evidence uploaded in place of a fetched record takes what the server takes when its service names no list.
    const accepted = def.mediaTypes ?? (def.kind === 'evidence' ? ['application/pdf', 'image/jpeg', 'image/png'] : null);
    const input = h('input', { type: 'file', id, name: material, accept: accepted?.join(',') ?? null, disabled: state.busy, dataset: { upload: material } });
    const status = h('span', { class: 'upload-status', role: 'status' });
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return;
      if (def.maxBytes && file.size > def.maxBytes) return showProblem(errorSlot, new Error(t('materials.tooLarge', { size: bytes(def.maxBytes) })));
      if (accepted && !accepted.includes(file.type)) return showProblem(errorSlot, new Error(t('materials.wrongType', { types: accepted.join(', ') })));
      replace(status, t('materials.uploading'));
      void run(t('materials.uploaded', { file: file.name }),
        () => send(errand.POST('/cases/{caseId}/materials/{materialId}', {
          params: { path: { caseId, materialId: material }, query: { fileName: file.name } },
          headers: { 'Content-Type': file.type || 'application/octet-stream', ...commandHeaders(newKey()) },
          // The file itself is the body, with its own media type; the OpenAPI document describes it in words only.
          .../** @type {{}} */ ({ body: file, bodySerializer: (/** @type {Blob} */ blob) => blob }),
        })));
    });
    const hint = def.mediaTypes ? `${def.mediaTypes.join(', ')} · ≤ ${bytes(def.maxBytes)}` : null;
    return h('div', { class: compact ? 'upload compact' : 'upload' },
      h('label', { for: id }, t('materials.chooseFile', { name: localized(def.name) })), input,
      hint ? h('span', { class: 'hint' }, hint) : null, status);
  }

  /** The status, and for an upload the file's name, which fetches the applicant's own copy back. */
  function materialStatus(id) {
    const material = state.view.materials?.[id];
    const status = material?.status;
    if (!status) return null;
    const tag = h('span', { class: `tag mat-${status}`, dataset: { materialStatus: status } }, tOr(`material.status.${status}`, status));
    const file = material.file;
    if (!file) return tag;
    const fetchBack = async () => {
      try {
        await downloadMaterialFile(caseId, id, file.fileName);
      } catch (error) {
        showProblem(errorSlot, error);
      }
    };
    return [tag, ' ', h('button', { type: 'button', class: 'small-button', dataset: { file: id }, title: t('materials.ownCopy'), on: { click: () => void fetchBack() } }, file.fileName)];
  }

  function header() {
    const v = state.view;
    // Days left matter only while the case runs against its limits.
    const left = v.decision || !v.open ? {} : v.daysLeft ?? {};
    const kind = v.limits?.dayKind ?? 'working';
    const rows = [
      // 提交回执 at once, so the citizen has proof of sending before any clerk looks; the acceptance number follows.
      ['case.submissionReceipt', v.submittedAt ? h('span', { id: 'submission-receipt' }, t('case.submissionReceiptText', { no: v.caseId, at: dateTime(v.submittedAt) }),
        v.receiptNo ? null : h('span', { class: 'muted small' }, ` ${t('case.receiptPending')}`)) : null],
      ['case.receiptNo', v.receiptNo ? h('span', { id: 'receipt-no' }, v.receiptNo) : null],
      ['case.submittedOn', v.submittedOn ? day(v.submittedOn) : null],
      ['case.acceptedOn', v.acceptedOn ? day(v.acceptedOn) : null],
      ['case.promisedDue', v.due?.promised ? [day(v.due.promised), ' ', left.promised === undefined ? null : h('strong', { class: 'days-left', id: 'days-left' }, daysLeft(left.promised, kind))] : null],
      ['case.statutoryDue', v.due?.statutory ? [day(v.due.statutory), ' ', left.statutory === undefined ? null : h('span', { class: 'muted' }, daysLeft(left.statutory, kind))] : null],
    ].filter(([, value]) => value);
    return h('section', { class: 'card case-head', 'aria-labelledby': 'case-title' },
      h('div', { class: 'case-title-row' },
        h('h1', { id: 'case-title', tabindex: '-1' }, state.def ? localized(state.def.name) : v.serviceId),
        statusBadge(v.status, v.decision?.outcome)),
      h('p', { class: 'muted small' }, `${t('common.caseId')}：`, h('code', {}, v.caseId)),
      rows.length ? h('dl', { class: 'facts' }, rows.map(([k, value]) => h('div', {}, h('dt', {}, t(k)), h('dd', {}, value)))) : null,
      left.intake !== null && left.intake !== undefined ? h('p', {}, t('case.intakeLeft', { date: day(v.intakeDueOn), left: daysLeft(left.intake, 'working') })) : null,
      left.clockStopped || v.clockStopped
        ? h('p', { class: 'tag tag-warn', id: 'clock-stopped', dataset: { reason: v.clockStoppedReason?.kind ?? '' } },
          t(v.clockStoppedReason?.kind === 'supplement' || v.status === 'awaitingSupplement' ? 'case.clockStoppedSupplement' : 'case.clockStopped'))
        : null,
      v.overdue ? h('p', { class: 'flag flag-red' }, t('case.overdue')) : v.warning ? h('p', { class: 'flag flag-yellow' }, t('case.warning')) : null,
      left.provisional ? h('p', { class: 'hint' }, t('case.provisional')) : null);
  }

  function draftSection() {
    const v = state.view;
    const def = state.def;
    state.values ??= { ...v.form };
    const issues = state.formIssues ?? [];
    const formEl = h('form', { class: 'stack', id: 'draft-form', novalidate: true, on: { submit: (e) => {
      e.preventDefault();
      const form = readForm(def.form, state.values);
      state.formIssues = formIssues(def.form, form, localToday());
      if (state.formIssues.length) {
        rerender();
        document.getElementById('error-summary')?.focus();
        return;
      }
      void saveDraft(form);
    } } }, issues.length ? errorSummary(def.form, issues) : null, formControls(def.form, state.values, issues), h('div', { class: 'actions' }, h('button', { type: 'submit', disabled: state.busy }, t('common.save'))));

    const explicit = def.materials.filter((m) => m.kind === 'evidence' && m.requiresExplicitRequest);
    // Ticks survive re-rendering (an upload, a language switch): they live in state, not in the DOM.
    state.explicit ??= new Set();
    const boxes = explicit.map((m) => h('input', { type: 'checkbox', id: `explicit-${m.id}`, value: m.id, checked: state.explicit.has(m.id), dataset: { explicit: m.id },
      on: { change: (e) => (e.target.checked ? state.explicit.add(m.id) : state.explicit.delete(m.id)) } }));
    const commitment = def.commitment
      ? h('input', { type: 'checkbox', id: 'commitment', name: 'commitment', checked: state.commitment === true, on: { change: (e) => { state.commitment = e.target.checked; } } })
      : null;
    const missingKey = def.materials.filter((m) => m.kind === 'upload' && m.key && v.materials?.[m.id]?.status !== 'uploaded');

    return [
      h('section', { class: 'card', 'aria-labelledby': 'draft-form-title' }, h('h2', { id: 'draft-form-title' }, t('form.title')), formEl),
      h('section', { class: 'card', 'aria-labelledby': 'draft-materials' },
        h('h2', { id: 'draft-materials' }, t('apply.step2')),
        h('ul', { class: 'material-list' }, def.materials.map((m) => h('li', { dataset: { material: m.id } },
          h('div', { class: 'material-head' },
            h('strong', {}, localized(m.name)), ' ',
            h('span', { class: `tag ${m.key ? 'tag-warn' : ''}` }, t(m.key ? 'materials.key' : 'materials.nonKey')), ' ',
            materialStatus(m.id)),
          m.kind === 'upload'
            ? upload(m.id)
            : h('p', { class: 'muted' },
              t(m.requiresExplicitRequest ? 'apply.explicitNote' : 'apply.fetchedNote', { department: departmentName(providerOf(m.dataItem)) }),
              m.requiresPreview ? ` · ${t('materials.previewNeeded')}` : null))))),
      h('section', { class: 'card', 'aria-labelledby': 'submit-title' },
        h('h2', { id: 'submit-title' }, t('submit.title')),
        h('form', { class: 'stack', id: 'submit-form', on: { submit: (e) => {
          e.preventDefault();
          const body = { explicitRequests: boxes.filter((b) => b.checked).map((b) => b.value) };
          if (commitment) body.commitment = commitment.checked;
          void run(t('submit.done'), command('submit', body));
        } } },
        explicit.map((m, i) => h('div', { class: 'check' }, boxes[i],
          h('label', { for: boxes[i].id }, t('materials.explicit', { name: localized(m.name), department: departmentName(providerOf(m.dataItem)) })))),
        commitment ? h('div', { class: 'check' }, commitment, h('label', { for: 'commitment' }, t('submit.commitment'))) : null,
        missingKey.length ? h('p', { class: 'alert alert-warn' }, t('submit.missing', { names: missingKey.map((m) => localized(m.name)).join('、') })) : null,
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: state.busy || !can('SubmitApplication'), dataset: { action: 'SubmitApplication' } }, t('submit.button'))))),
    ];
  }

  function supplementNotice() {
    const v = state.view;
    if (v.status !== 'awaitingSupplement' || !v.supplement) return null;
    const left = v.daysLeft?.supplement;
    const settled = (id) => ['uploaded', 'received'].includes(v.materials?.[id]?.status);
    const complete = v.supplement.items.every((item) => settled(item.materialId));
    return h('section', { class: 'card notice', id: 'supplement-notice', 'aria-labelledby': 'supplement-title' },
      h('h2', { id: 'supplement-title' }, t('supplement.title')),
      h('p', {}, t('supplement.intro', { date: day(v.supplement.dueOn) }), left !== null && left !== undefined ? h('strong', {}, ` (${daysLeft(left, v.limits?.dayKind)})`) : null),
      h('ol', { class: 'material-list' }, v.supplement.items.map((item) => h('li', { dataset: { material: item.materialId } },
        h('div', { class: 'material-head' }, h('strong', {}, materialName(state.def, item.materialId)), ' ', materialStatus(item.materialId)),
        item.note ? h('p', { class: 'note' }, t('supplement.note', { note: item.note })) : null,
        upload(item.materialId, { compact: true })))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', disabled: state.busy || !can('ProvideSupplement') || !complete, dataset: { action: 'ProvideSupplement' },
          'aria-describedby': complete ? null : 'supplement-incomplete',
          on: { click: () => void run(t('supplement.sent'), command('supplement')) } }, t('supplement.send')),
        complete ? null : h('span', { class: 'hint', id: 'supplement-incomplete' }, t('supplement.incomplete'))));
  }

  function outstandingSection() {
    const v = state.view;
    const listed = new Set(v.status === 'awaitingSupplement' ? (v.supplement?.items ?? []).map((i) => i.materialId) : []);
    const items = (v.outstanding ?? []).filter((o) => !listed.has(o.materialId) && (o.reason === 'preview' || o.reason === 'upload' || o.reason === 'followUp' || (o.reason === 'missing' && v.status !== 'draft')));
    const notice = supplementNotice();
    if (!notice && !items.length) {
      if (!v.open || v.status === 'draft') return null;
      return h('section', { class: 'card', 'aria-labelledby': 'todo-title' }, h('h2', { id: 'todo-title' }, t('case.outstanding')), h('p', { class: 'muted', id: 'nothing-outstanding' }, t('case.nothingOutstanding')));
    }
    return h('section', { class: 'stack', 'aria-labelledby': 'todo-title' },
      h('h2', { id: 'todo-title', class: 'section-title' }, t('case.outstanding')),
      notice,
      items.map((o) => (o.reason === 'preview' ? previewCard(o.materialId) : o.reason === 'followUp' ? followUpCard(o.materialId) : h('div', { class: 'card', dataset: { material: o.materialId } },
        h('h3', {}, t('upload.title'), '：', materialName(state.def, o.materialId)),
        o.note ? h('p', { class: 'muted' }, t('upload.reason', { reason: tOr(`reason.${o.note}`, o.note) })) : null,
        upload(o.materialId)))));
  }

  /** 容缺: a material accepted missing and still owed, with its due date; uploading it meets the obligation. */
  function followUpCard(materialId) {
    const obligation = (state.view.obligations ?? []).find((o) => o.materialId === materialId && o.providedOn === null);
    const red = obligation?.reminders?.some((r) => r.level === 'red');
    return h('div', { class: 'card notice', id: `follow-up-${materialId}`, dataset: { material: materialId, followUp: 'true' } },
      h('h3', {}, t('followUp.title'), '：', materialName(state.def, materialId)),
      obligation ? h('p', { class: red ? 'flag flag-red' : '', dataset: { due: obligation.dueOn } }, t(red ? 'followUp.overdue' : 'followUp.due', { date: day(obligation.dueOn) })) : null,
      upload(materialId));
  }

  function previewCard(materialId) {
    const evidence = state.view.evidence?.[materialId];
    return h('div', { class: 'card notice', dataset: { material: materialId, preview: 'true' } },
      h('h3', {}, t('preview.title'), '：', materialName(state.def, materialId)),
      h('p', {}, t('preview.intro', { department: departmentName(evidence?.provider) })),
      evidence?.fields ? valuesTable(evidence.dataItem, evidence.fields) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', disabled: state.busy || !can('ConfirmEvidencePreview'), dataset: { action: 'ConfirmEvidencePreview' },
          on: { click: () => void run(t('common.done'), command('preview/confirm', { materialId })) } }, t('preview.confirm')),
        h('button', { type: 'button', disabled: state.busy || !can('RefuseEvidencePreview'), dataset: { action: 'RefuseEvidencePreview' },
          on: { click: () => void run(t('common.done'), command('preview/refuse', { materialId })) } }, t('preview.refuse'))));
  }

  function certificateCard() {
    const c = state.view.certificate;
    if (!c) return null;
    return h('section', { class: 'card certificate', id: 'certificate', 'aria-labelledby': 'certificate-title' },
      h('h2', { id: 'certificate-title' }, t('certificate.title'), '：', state.def ? localized(state.def.outcome.name) : c.certificateType),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, t('certificate.no')), h('dd', {}, h('strong', { id: 'certificate-no', class: 'mono' }, c.certificateNo))),
        h('div', {}, h('dt', {}, t('certificate.issuedOn')), h('dd', {}, day(c.issuedOn))),
        h('div', {}, h('dt', {}, t('certificate.validUntil')), h('dd', {}, c.validUntil ? day(c.validUntil) : t('certificate.noExpiry')))));
  }

  function outcomeCard() {
    const v = state.view;
    const parts = [];
    if (v.decision) {
      parts.push(h('p', {}, h('strong', {}, t(`case.decision.${v.decision.outcome}`)), ` · ${tOr(`case.decision.by.${v.decision.by}`, v.decision.by)} · ${day(v.decision.decidedOn)}`));
      if (v.decision.reasons?.length) parts.push(h('p', { class: 'muted' }, `${t('case.reasons')}：`), h('ul', {}, v.decision.reasons.map((r) => h('li', {}, r))));
    }
    if (v.notAccepted) parts.push(h('p', {}, h('strong', {}, t('case.notAccepted')), ` · ${day(v.notAccepted.decidedOn)}`), h('p', {}, v.notAccepted.reason));
    if (v.withdrawal) parts.push(h('p', {}, h('strong', {}, t('case.withdrawn')), ` · ${day(v.withdrawal.withdrawnOn)}`), v.withdrawal.reason ? h('p', {}, v.withdrawal.reason) : null);
    if (v.revocation) parts.push(h('p', {}, h('strong', {}, t('case.revoked')), ` · ${day(v.revocation.revokedOn)}`), h('p', {}, v.revocation.reason));
    for (const e of v.extensions ?? []) parts.push(h('p', {}, t('case.extension', { days: e.days, reason: e.reason })));
    for (const s of v.suspensions ?? []) {
      parts.push(h('p', {}, t('case.suspension', { kind: tOr(`suspend.${s.kind}`, s.kind), reason: s.reason, from: day(s.suspendedOn), to: s.resumedOn ? t('case.suspensionTo', { date: day(s.resumedOn) }) : '' })));
    }
    if (!parts.length) return null;
    return h('section', { class: 'card', 'aria-labelledby': 'decision-title' }, h('h2', { id: 'decision-title' }, t('case.decision')), parts);
  }

  function materialsCard() {
    const v = state.view;
    const def = state.def;
    const ids = [...new Set([...def.materials.map((m) => m.id), ...Object.keys(v.materials ?? {})])];
    return h('section', { class: 'card', 'aria-labelledby': 'materials-title' },
      h('h2', { id: 'materials-title' }, t('materials.title')),
      h('ul', { class: 'material-list' }, ids.map((id) => {
        const m = def.materials.find((d) => d.id === id);
        const evidence = v.evidence?.[id];
        return h('li', { dataset: { material: id } },
          h('div', { class: 'material-head' }, h('strong', {}, materialName(def, id)), ' ',
            h('span', { class: 'tag' }, t(`materials.kind.${m?.kind ?? v.materials?.[id]?.kind ?? 'upload'}`)), ' ', materialStatus(id)),
          evidence ? h('p', { class: 'muted small' }, t('materials.fromProvider', { department: departmentName(evidence.provider) }), evidence.retrievedAt ? ` · ${dateTime(evidence.retrievedAt)}` : '') : null,
          evidence?.fields ? h('details', {}, h('summary', {}, t('materials.fetchedData')), valuesTable(evidence.dataItem, evidence.fields)) : null);
      })));
  }

  function ratingCard() {
    const v = state.view;
    if (v.rating) {
      return h('section', { class: 'card', id: 'rating' }, h('h2', {}, t('rating.title')),
        h('p', { class: 'stars-shown', 'aria-label': t('rating.given', { score: v.rating.score }) }, '★'.repeat(v.rating.score) + '☆'.repeat(5 - v.rating.score), ' ', h('span', { class: 'muted' }, t('rating.given', { score: v.rating.score }))),
        v.rating.comment ? h('p', {}, v.rating.comment) : null);
    }
    if (!can('RateCase')) return null;
    const stars = [1, 2, 3, 4, 5].map((n) => {
      const id = `star-${n}`;
      return h('span', { class: 'star' },
        h('input', { type: 'radio', name: 'score', id, value: String(n), checked: state.rating === n, on: { change: () => { state.rating = n; } } }),
        h('label', { for: id, title: t('rating.star', { n }) }, h('span', { 'aria-hidden': 'true' }, '★'), h('span', { class: 'sr-only' }, t('rating.star', { n }))));
    });
    const comment = h('textarea', { id: 'rating-comment', rows: '2', maxlength: '1000', value: state.comment, on: { input: (e) => { state.comment = e.target.value; } } });
    return h('section', { class: 'card', id: 'rating', 'aria-labelledby': 'rating-title' },
      h('h2', { id: 'rating-title' }, t('rating.title')),
      h('form', { class: 'stack', on: { submit: (e) => {
        e.preventDefault();
        if (!state.rating) return showProblem(errorSlot, new Error(t('rating.choose')));
        void run(t('rating.thanks'), command('rating', state.comment.trim() ? { score: state.rating, comment: state.comment.trim() } : { score: state.rating }));
      } } },
      h('fieldset', { class: 'stars' }, h('legend', {}, t('rating.legend')), stars),
      field(t('rating.comment'), comment),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: state.busy, dataset: { action: 'RateCase' } }, t('rating.send')))));
  }

  function withdrawCard() {
    if (!can('WithdrawApplication')) return null;
    const reason = h('input', { type: 'text', id: 'withdraw-reason', maxlength: '500' });
    return h('details', { class: 'card danger-zone' }, h('summary', {}, t('case.withdraw')),
      h('form', { class: 'stack', on: { submit: (e) => {
        e.preventDefault();
        void run(t('case.withdrawn'), command('withdraw', reason.value.trim() ? { reason: reason.value.trim() } : {}));
      } } }, field(t('case.withdrawReason'), reason), h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger', dataset: { action: 'WithdrawApplication' } }, t('case.withdrawConfirm')))));
  }

  function timelineCard() {
    return h('section', { class: 'card', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, t('case.timeline')), timeline(state.view.timeline, state.def));
  }

  function formCard() {
    const v = state.view;
    return h('section', { class: 'card', 'aria-labelledby': 'form-title' }, h('h2', { id: 'form-title' }, t('case.form')),
      h('dl', { class: 'facts' }, state.def.form.map((f) => h('div', {}, h('dt', {}, localized(f.label)), h('dd', {}, fieldValue(v.form?.[f.name]))))));
  }

  show(() => {
    if (state.loadError) return [h('p', {}, h('a', { href: '/citizen/cases' }, `← ${t('nav.myCases')}`)), problemBox(state.loadError)];
    if (!state.view || !state.def) return loading();
    const v = state.view;
    setTitle(`${localized(state.def.name)} · ${statusLabel(v.status)}`);
    return [
      h('p', {}, h('a', { href: '/citizen/cases' }, `← ${t('nav.myCases')}`)),
      header(),
      agentLine(v),
      errorSlot,
      feeCard(v, { run, command, busy: state.busy }),
      certificateCard(),
      documentsCard(v, { holder: true, onError: (error) => showProblem(errorSlot, error) }),
      v.status === 'draft' ? draftSection() : outstandingSection(),
      outcomeCard(),
      reconsiderationCard(v, { run, command, busy: state.busy }),
      ratingCard(),
      complaintCard(v),
      v.status === 'draft'
        ? timelineCard()
        : h('div', { class: 'columns' }, h('div', {}, materialsCard(), formCard()), timelineCard()),
      withdrawCard(),
    ];
  });
  await load();
  rerender();

  // Others move the case on (intake, evidence providers, the clerk): follow it, but never under the citizen's hands.
  followCase(caseId, state, (v) => {
    if (state.busy || QUIET.has(v.status) || (v.status === 'closed' && v.rating)) return false;
    const active = document.activeElement;
    return !(active && main().contains(active) && ['INPUT', 'TEXTAREA', 'SELECT'].includes(active.tagName) && /** @type {HTMLInputElement} */ (active).type !== 'file');
  });
}

function valuesTable(dataItem, fields) {
  return h('table', { class: 'table compact values' }, h('tbody', {}, Object.entries(fields).map(([name, value]) => h('tr', {},
    h('th', { scope: 'row' }, fieldLabel(dataItem, name)), h('td', {}, fieldValue(value))))));
}
