import type { CaseView } from '../../projections/views/case-view/index.ts';

/** The applicant's name as the case's evidence gave it (or the form), for documents addressed to them. */
export function applicantNameOf(view: Pick<CaseView, 'evidence' | 'form'>): string | null {
  for (const entry of Object.values(view.evidence)) {
    const value = entry.fields?.name ?? entry.fields?.enterpriseName;
    if (typeof value === 'string' && value !== '') return value;
  }
  const fromForm = view.form.name ?? view.form.enterpriseName ?? view.form.applicantName;
  return typeof fromForm === 'string' && fromForm !== '' ? fromForm : null;
}
