/**
 * A department's own record of every request that reached its gateway (X-Road's message log, Estonia's Data
 * Tracker): who asked, for which case, service and purpose, about whom, which fields, and what came of it.
 * Never the field values. Refused attempts are recorded too, with what could be read of them.
 */
export type AccessResult = 'found' | 'no_match' | 'not_yet_available' | 'refused' | 'error';

export interface AccessLogEntry {
  /** 1, 2, 3... in the order entries were appended. */
  seq: number;
  at: string;
  department: string;
  result: AccessResult;
  /** HTTP status the gateway answered with. */
  status: number;
  /** Why a request was refused or failed; null when answered. */
  reason: string | null;
  /** False when the request's token did not verify: the fields below are then only what it claimed. */
  verified: boolean;
  requestId: string | null;
  issuer: string | null;
  keyId: string | null;
  requester: string | null;
  caseId: string | null;
  serviceId: string | null;
  legalBasis: string | null;
  /** Only from verified requests: an unverified token's subject is not recorded. */
  subject: { type: string; id: string } | null;
  dataItem: string | null;
  fields: string[];
}

export type NewAccessLogEntry = Omit<AccessLogEntry, 'seq'>;

export interface AccessLogQuery {
  /** Entries after this seq. */
  after?: number;
  limit?: number;
  caseId?: string;
  subjectId?: string;
}

/** An answer to keep for retries of its request key, written with the entry of its delivery. */
export interface AnswerToKeep {
  requestKey: string;
  digest: string;
  body: string;
  expiresAtMs: number;
  nowMs: number;
}

export interface AccessLog {
  /**
   * Resolves once the entry is durable in this log; a gateway that cannot log answers no data. With `keep` (only
   * where `keepsAnswers`), the answer is kept in the same transaction: both are written, or neither.
   */
  append(entry: NewAccessLogEntry, keep?: AnswerToKeep): Promise<AccessLogEntry>;
  /**
   * The log shares its database with the replay cache's kept answers, and keeps an answer with the entry of its
   * delivery: a gateway killed between the two can no longer leave a logged delivery whose answer a retry cannot find.
   */
  readonly keepsAnswers?: boolean;
  list(query?: AccessLogQuery): Promise<AccessLogEntry[]>;
  close?(): Promise<void>;
}

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;
