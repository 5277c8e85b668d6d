import type { CaseView } from '../../projections/views/case-view/index.ts';
import type { Principal } from '../auth/index.ts';

/**
 * Who may read a case, and so anything in it: its applicant and the agent acting for them, clerks of its lead and co-reviewing departments, and
 * auditors. Anyone else is told the case does not exist (404), so they cannot learn that it does. A draft is the
 * applicant's alone until submitted: nobody else has a purpose to read it, not even the department it is for.
 */
export function maySee(principal: Principal, view: Pick<CaseView, 'applicantId' | 'agentId' | 'department' | 'coReviewers' | 'status' | 'reconsideration'>): boolean {
  // An agent (legal representative, authorised person) sees the case as the applicant does, the draft included.
  const party = principal.kind === 'citizen' && (view.applicantId === principal.id || (typeof view.agentId === 'string' && view.agentId === principal.id));
  if (view.status === 'draft') return party;
  switch (principal.kind) {
    case 'citizen':
      return party;
    case 'clerk':
      // The reviewing body reconsidering the decision reads the case it reconsiders.
      return view.department === principal.department || view.coReviewers.includes(principal.department) || view.reconsideration?.reviewingBody === principal.department;
    case 'auditor':
      return true;
    default:
      return false;
  }
}
