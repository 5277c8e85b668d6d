import type { FeeDefinition } from '../fees/fee.ts';

/** Types of the service catalogue and the data resource catalogue. Definitions are data: loaded, validated, versioned. */

export type SubjectType = 'person' | 'enterprise';

export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

/** Sharing classes of 国发〔2016〕51号. */
export type SharingClass = 'unconditional' | 'conditional' | 'not_shared';

export interface DataField {
  name: string;
  type: 'string' | 'number' | 'date' | 'boolean';
  /** Personal data fields are never written to logs and are always audited when read. */
  personal: boolean;
  label: LocalizedText;
}

export interface DataItem {
  /** e.g. "household-registration". */
  id: string;
  name: LocalizedText;
  /** Department code of the provider, e.g. "PSB". */
  provider: string;
  subjectType: SubjectType;
  fields: DataField[];
  sharing: SharingClass;
  /** For conditional sharing: who may ask. */
  allowedServices?: string[];
  allowedDepartments?: string[];
  updateFrequency: 'realtime' | 'daily' | 'weekly' | 'monthly' | 'on_issue';
  legalBasis: string;
  /** Trust level of the material the item stands for (A: issued by the authority, e-sealed ... D: made by the applicant). */
  trustLevel: 'A' | 'B' | 'C' | 'D';
  /** Quality rules applied to what a provider returns. */
  quality?: QualityRule[];
  /**
   * For items the platform itself provides (provider "ERRAND"): the `outcome.certificateType` whose issued
   * certificates this item serves, so a certificate issued by one service is evidence for another.
   */
  certificateType?: string;
}

export type QualityRule =
  | { kind: 'required'; field: string }
  | { kind: 'pattern'; field: string; pattern: string }
  | { kind: 'notExpired'; field: string }
  | { kind: 'oneOf'; field: string; values: string[] };

export interface Department {
  code: string;
  name: LocalizedText;
}

export interface EvidenceMaterial {
  id: string;
  kind: 'evidence';
  name: LocalizedText;
  /** Non-key materials may be missing at intake (容缺受理). */
  key: boolean;
  dataItem: string;
  /** Only these fields are requested: data minimisation. */
  fields: string[];
  /** OOTS: fetch only after the applicant explicitly asks for it. */
  requiresExplicitRequest?: boolean;
  /** OOTS: the applicant previews fetched evidence before review and may refuse it (then uploads instead). */
  requiresPreview?: boolean;
  /** What the applicant may upload in its place; absent: PDF, JPEG and PNG (DEFAULT_EVIDENCE_MEDIA_TYPES). */
  mediaTypes?: string[];
}

export interface UploadMaterial {
  id: string;
  kind: 'upload';
  name: LocalizedText;
  key: boolean;
  mediaTypes: string[];
  maxBytes: number;
}

export type Material = EvidenceMaterial | UploadMaterial;

export type ConditionOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists' | 'notExpired';

/** A rule over evidence fields: material id + field. Time-dependent ops compare with the event's own timestamp. */
export interface Condition {
  material: string;
  field: string;
  op: ConditionOp;
  value?: string | number | boolean | Array<string | number>;
}

/** What a string field holds beyond plain text; each is checked the same way by the API and the pages. */
export type FormFieldFormat = 'phone' | 'citizenId' | 'creditCode';

/**
 * One question of the service form and its constraints. The API (domain/catalogue/form-rules.ts) and the pages
 * (api/pages/static/js/form-rules.js) check the same constraints, so a citizen learns every problem before sending.
 */
export interface FormField {
  name: string;
  type: 'string' | 'number' | 'date' | 'boolean';
  required: boolean;
  label: LocalizedText;
  /** Whether an answer is personal data (sealed under the subject's key in the log); absent means personal. */
  personal?: boolean;
  /** String fields: length in characters (code points). */
  minLength?: number;
  maxLength?: number;
  format?: FormFieldFormat;
  /** String fields: the answer must be one of these values. */
  options?: Array<{ value: string; label: LocalizedText }>;
  /** Number fields. */
  minimum?: number;
  maximum?: number;
  integer?: boolean;
  /** Date fields: relative to the local date the form is checked on, and absolute bounds (inclusive). */
  notFuture?: boolean;
  notPast?: boolean;
  earliest?: string;
  latest?: string;
}

export interface TimeLimits {
  /** Region calendar id, e.g. "CN". */
  calendar: string;
  dayKind: 'working' | 'calendar';
  /** 法定时限 */
  statutoryDays: number;
  /** 承诺时限, never longer than the statutory limit. */
  promisedDays: number;
  /** Yellow card this many days before the promised due date. */
  warningDays: number;
  /** Maximum total extension. */
  extensionDays: number;
  /** Certificate must be issued within this many days of the decision. */
  certificateDays: number;
  /** Applicant must supplement within this many days. */
  supplementDays: number;
  /**
   * 容缺: a non-key material missing at acceptance or approval is owed within this many working days; when absent,
   * supplementDays (counted in working days) applies.
   */
  followUpDays?: number;
}

export interface RetentionSchedule {
  /** Whole years after the case closes. */
  caseRecordsYears: number;
  legalBasis: string;
  /** Fetched evidence is kept this many days after closure (default 0). */
  evidenceAfterClosureDays?: number;
}

export interface ServiceDefinition {
  id: string;
  version: number;
  name: LocalizedText;
  legalBasis: string;
  /** Lead department: accepts, decides. */
  department: string;
  /** 并联审批: co-reviewing departments give opinions in parallel; empty for single-department review. */
  coReviewers: string[];
  /**
   * Co-reviewers whose opinion is advisory. Every other co-reviewer's consent is required by law: its "deny" is a
   * veto the lead cannot approve over (only deny, or send the case back for a revised opinion after a supplement).
   */
  advisoryCoReviewers?: string[];
  applicantType: SubjectType;
  form: FormField[];
  materials: Material[];
  limits: TimeLimits;
  /** How long case records are kept after closure, and why; then their personal data is crypto-shredded. */
  retention?: RetentionSchedule;
  /** 秒批: approve with no human step when every condition holds. */
  instantApproval?: { conditions: Condition[] };
  /** 告知承诺: approve on the applicant's written commitment, verify within this many days. */
  commitment?: { verifyWithinDays: number };
  /** 收费: fixed or computed from the form, waivers, and whether the certificate waits for payment. */
  fee: FeeDefinition;
  outcome: {
    certificateType: string;
    name: LocalizedText;
    /** null: no expiry. */
    validityMonths: number | null;
  };
}

/** 一件事: one application that opens a case in each member service. */
export interface BundleDefinition {
  id: string;
  version: number;
  name: LocalizedText;
  services: string[];
}
