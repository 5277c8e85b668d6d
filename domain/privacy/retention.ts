import type { RetentionSchedule } from '../catalogue/index.ts';

/**
 * Retention rules, pure. A case's records are kept for its service version's `caseRecordsYears` after the case
 * closes; evidence fetched from other departments only `evidenceAfterClosureDays` (default 0) after closure, since
 * the case needs it no longer. Any active legal hold blocks both. What is due is then crypto-shredded.
 */

export interface CaseRecordFacts {
  serviceId: string | null;
  serviceVersion: number | null;
  /** The local date the case ended (closed, withdrawn, not accepted, denied, revoked); null while open. */
  closedOn: string | null;
  /** Legal holds placed and not lifted, by id. */
  holds: string[];
  /** Scopes already shredded, per the SubjectKeysShredded records. */
  shreddedScopes: string[];
}

const ENDINGS: Readonly<Record<string, string>> = {
  CaseClosed: 'closedOn',
  CaseWithdrawn: 'withdrawnOn',
  ApprovalRevoked: 'revokedOn',
  CaseNotAccepted: 'decidedOn',
  CaseDenied: 'decidedOn',
};

export function caseRecordFacts(events: ReadonlyArray<{ type: string; data: Record<string, unknown> }>): CaseRecordFacts {
  const facts: CaseRecordFacts = { serviceId: null, serviceVersion: null, closedOn: null, holds: [], shreddedScopes: [] };
  for (const { type, data } of events) {
    if (type === 'ApplicationDrafted') {
      facts.serviceId = String(data.serviceId);
      facts.serviceVersion = Number(data.serviceVersion);
    } else if (type in ENDINGS) {
      // The first ending counts (a denial is followed by CaseClosed the same day or later).
      facts.closedOn ??= typeof data[ENDINGS[type]!] === 'string' ? (data[ENDINGS[type]!] as string) : null;
    } else if (type === 'LegalHoldPlaced' && typeof data.holdId === 'string') {
      if (!facts.holds.includes(data.holdId)) facts.holds.push(data.holdId);
    } else if (type === 'LegalHoldLifted' && typeof data.holdId === 'string') {
      facts.holds = facts.holds.filter((id) => id !== data.holdId);
    } else if (type === 'SubjectKeysShredded' && typeof data.scope === 'string') {
      facts.shreddedScopes.push(data.scope);
    }
  }
  return facts;
}

export type RetentionPart = 'case-records' | 'evidence';

export interface RetentionVerdict {
  part: RetentionPart;
  /** The date from which the part may be shredded. */
  expiresOn: string;
  due: boolean;
  /** Non-personal words naming the rule: service, version, period, legal basis. */
  rule: string;
}

/**
 * What of a case is due for shredding on `today` (a local date, YYYY-MM-DD). Nothing while the case is open, has a
 * legal hold, or its service version has no schedule; parts already shredded are left out.
 */
export function retentionDue(facts: CaseRecordFacts, schedule: RetentionSchedule | undefined, today: string, caseScope: string): RetentionVerdict[] {
  if (!schedule || facts.closedOn === null || facts.holds.length > 0) return [];
  const service = `${facts.serviceId} v${facts.serviceVersion}`;
  const evidenceDays = schedule.evidenceAfterClosureDays ?? 0;
  const verdicts: RetentionVerdict[] = [
    {
      part: 'evidence',
      expiresOn: addDays(facts.closedOn, evidenceDays),
      due: false,
      rule: `${service}: fetched evidence kept ${evidenceDays} day(s) after closure; ${schedule.legalBasis}`,
    },
    {
      part: 'case-records',
      expiresOn: addYears(facts.closedOn, schedule.caseRecordsYears),
      due: false,
      rule: `${service}: case records kept ${schedule.caseRecordsYears} year(s) after closure; ${schedule.legalBasis}`,
    },
  ];
  const scopeOfPart = (part: RetentionPart) => (part === 'evidence' ? evidenceScope(caseScope) : caseScope);
  return verdicts
    .map((v) => ({ ...v, due: today >= v.expiresOn }))
    .filter((v) => !facts.shreddedScopes.includes(scopeOfPart(v.part)) && !(v.part === 'evidence' && facts.shreddedScopes.includes(caseScope)));
}

const EVIDENCE_SUFFIX = '#evidence';

/** Fetched evidence has a key of its own beside the case's, so it can be shredded earlier. */
export function evidenceScope(caseScope: string): string {
  return `${caseScope}${EVIDENCE_SUFFIX}`;
}


/** The case scope an evidence scope belongs to (its key lives beside the case's); null for any other scope. */
export function caseOfEvidenceScope(scope: string): string | null {
  return scope.startsWith('case-') && scope.endsWith(EVIDENCE_SUFFIX) ? scope.slice(0, -EVIDENCE_SUFFIX.length) : null;
}

/** A case's records scope, as opposed to its evidence scope or a subject's access log. */
export function isCaseRecordsScope(scope: string): boolean {
  return scope.startsWith('case-') && !scope.includes('#');
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole years later; 29 February becomes 1 March in a common year. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const result = new Date(Date.UTC(y + years, m - 1, d));
  return result.toISOString().slice(0, 10);
}
