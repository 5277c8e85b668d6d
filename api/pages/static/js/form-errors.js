// GOV.UK-style error handling for question pages: a summary at the top linking to each field, and a message beside
// each field, in the page's language. Problems come from the page's own rules (form-rules.js) or from the API's 422
// errors[] (path /body/form/<field>, code), which use the same codes; server English is never shown.
import { h } from './dom.js';
import { localized, t, tOr } from './i18n.js';

/** The control id of a form field: stable, so the summary can link to it. */
export function fieldId(name) {
  return `field-${name}`;
}

/** One issue ({ field, code, limit }) as a sentence naming the field, in the page's language. */
export function issueText(fields, issue) {
  const field = fields.find((f) => f.name === issue.field);
  const label = field ? localized(field.label) : t('formError.thisField');
  return t(hasCode(issue.code) ? `formError.${issue.code}` : 'formError.invalid', { label, limit: issue.limit ?? '' });
}

function hasCode(code) {
  return typeof code === 'string' && tOr(`formError.${code}`, null) !== null;
}

/**
 * The form issues a problem names, or null when it names none (then the page shows a general message). Only paths
 * under /body/form/ are fields; codes the page does not know become "invalid".
 */
export function issuesFromProblem(error) {
  const errors = Array.isArray(error?.errors) ? error.errors : [];
  const issues = errors.flatMap((e) => {
    const match = typeof e?.path === 'string' ? /^\/body\/form\/([A-Za-z0-9]+)$/.exec(e.path) : null;
    return match ? [{ field: match[1], code: typeof e.code === 'string' ? e.code : 'invalid', limit: e.limit }] : [];
  });
  return issues.length ? issues : null;
}

/** "There is a problem" with a link to each field; role=alert and focusable so it is announced and reached first. */
export function errorSummary(fields, issues) {
  return h('div', { class: 'error-summary', id: 'error-summary', role: 'alert', tabindex: '-1', 'aria-labelledby': 'error-summary-title' },
    h('h2', { class: 'error-summary-title', id: 'error-summary-title' }, t('formError.summary')),
    h('ul', { class: 'error-summary-list' }, issues.map((issue) => h('li', {},
      h('a', { href: `#${fieldId(issue.field)}`, dataset: { field: issue.field }, on: { click: (e) => {
        const target = document.getElementById(fieldId(issue.field));
        if (!target) return;
        e.preventDefault();
        target.focus();
        target.scrollIntoView({ block: 'center' });
      } } }, issueText(fields, issue))))));
}

/** The message shown beside a field, and the attributes its control carries while it is wrong. */
export function fieldError(fields, issue) {
  return h('p', { class: 'field-error', id: `${fieldId(issue.field)}-error`, dataset: { errorFor: issue.field } },
    h('span', { class: 'sr-only' }, `${t('common.error')}: `), issueText(fields, issue));
}
