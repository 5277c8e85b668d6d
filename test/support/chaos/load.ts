import { randomUUID } from 'node:crypto';
import { tokens, type ChaosClient, type Deadline, type Reply } from './client.ts';

/**
 * Mixed residence-permit cases driven over HTTP as citizens and PSB clerks would: each kind follows its own path and
 * ends in a known state, some closed with a certificate, some parked on a durable timer (intake, supplement,
 * deadline warnings), some withdrawn. Evidence for accepted cases is fetched by the workers through the PSB and HRSS
 * gateway processes (and NRB in-process).
 *
 * The applicant is the demo library's "instant-approval" citizen, whose every shared item is found and clean, so the
 * events of each kind are fixed. The catalogue counts limits in whole days, so no timer comes due during a run: the
 * checks verify the timers are armed rather than fired.
 */
export const CITIZEN_ID = '31010419841028553X';
export const DEPARTMENT = 'PSB';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF chaos photo'), 0xff, 0xd9]);
const PDF = Buffer.from('%PDF-1.4\n% chaos rental contract\n%%EOF\n');
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

export type CaseKind = 'certified' | 'supplemented' | 'parked-supplement' | 'parked-submitted' | 'parked-review' | 'withdrawn';
export const CASE_KINDS: readonly CaseKind[] = ['certified', 'supplemented', 'parked-supplement', 'parked-submitted', 'parked-review', 'withdrawn'];

/**
 * The state each kind ends in, and exactly the events its case stream holds then: a command retried across a fault
 * must not record anything twice, and a fetch redelivered after a worker crash must not add a second outcome.
 */
export const EXPECTED: Record<CaseKind, { status: string; events: Record<string, number> }> = {
  // Accepted without the rental contract and the housing record, non-key materials: they are owed as 容缺
  // follow-ups, so a certified case stays open (certificateIssued) until they are provided.
  certified: {
    status: 'certificateIssued',
    events: { ApplicationDrafted: 1, MaterialUploaded: 1, ApplicationSubmitted: 1, CaseAccepted: 1, FollowUpRequired: 1, EvidenceRequested: 1, EvidenceReceived: 2, EvidenceGatheringCompleted: 1, CaseApproved: 1, CertificateIssued: 1 },
  },
  // The housing record is never asked for (no explicit request), so it too is owed as a follow-up.
  supplemented: {
    status: 'certificateIssued',
    events: {
      ApplicationDrafted: 1, MaterialUploaded: 2, ApplicationSubmitted: 1, SupplementRequested: 1, SupplementProvided: 1, CaseAccepted: 1, FollowUpRequired: 1,
      EvidenceRequested: 1, EvidenceReceived: 2, EvidenceGatheringCompleted: 1, CaseApproved: 1, CertificateIssued: 1,
    },
  },
  'parked-supplement': { status: 'awaitingSupplement', events: { ApplicationDrafted: 1, MaterialUploaded: 1, ApplicationSubmitted: 1, SupplementRequested: 1 } },
  'parked-submitted': { status: 'submitted', events: { ApplicationDrafted: 1, MaterialUploaded: 1, ApplicationSubmitted: 1 } },
  'parked-review': {
    status: 'review',
    events: { ApplicationDrafted: 1, MaterialUploaded: 1, ApplicationSubmitted: 1, CaseAccepted: 1, FollowUpRequired: 1, EvidenceRequested: 1, EvidenceReceived: 2, EvidenceGatheringCompleted: 1 },
  },
  withdrawn: { status: 'withdrawn', events: { ApplicationDrafted: 1, MaterialUploaded: 1, ApplicationSubmitted: 1, CaseWithdrawn: 1 } },
};

export interface DrivenCase {
  kind: CaseKind;
  caseId: string | null;
  /** Set when the script could not finish: the step and what the API answered. */
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
}

type Step = { label: string; run(c: ChaosClient, caseId: string, deadline: Deadline): Promise<string | null> };

const citizen = tokens.citizen(CITIZEN_ID);
const clerk = tokens.clerk(DEPARTMENT);

/** A command step: one Idempotency-Key for every attempt, so retries across faults record it once. */
function command(label: string, who: 'citizen' | 'clerk', path: (caseId: string) => string, body: unknown = {}, headers: Record<string, string> = {}): Step {
  return {
    label,
    async run(c, caseId, deadline) {
      const key = randomUUID();
      const reply = await c.call(who === 'citizen' ? citizen : clerk, 'POST', path(caseId), deadline, body, { 'Idempotency-Key': key, ...headers });
      return reply.status >= 200 && reply.status < 300 ? null : describe(label, reply);
    },
  };
}

/**
 * Waits for the case view (a projection, read through the API) to show the status the workers move the case to.
 * A department's gateway down for longer than the evidence worker's retries makes the item "upload_required"
 * (reason provider_down), by design: the citizen then uploads it, as the case view asks, and the case goes on.
 */
function reaches(status: string): Step {
  return {
    label: `wait ${status}`,
    async run(c, caseId, deadline) {
      const uploaded = new Set<string>();
      const seen = await c.until(citizen, `/cases/${caseId}`, deadline, (body) => {
        if (body.status === status) return true;
        // Only what the gateway failed to deliver: an explicit-request item nobody asked for is upload_required too.
        const materials = (body.materials ?? {}) as Record<string, { kind: string; status: string; reason?: string }>;
        for (const [id, material] of Object.entries(materials)) {
          if (material.kind === 'evidence' && material.status === 'upload_required' && material.reason === 'provider_down') uploaded.add(id);
        }
        return false;
      }, async () => {
        for (const id of uploaded) {
          if (uploadedOnce.has(`${caseId}/${id}`)) continue;
          const reply = await c.call(citizen, 'POST', `/cases/${caseId}/materials/${id}?fileName=${id}.pdf`, deadline, PDF, { 'Content-Type': 'application/pdf', 'Idempotency-Key': keyFor(`${caseId}/${id}`) });
          if (reply.status === 200) uploadedOnce.add(`${caseId}/${id}`);
        }
      });
      return seen ? null : `case view never showed ${status} before the load deadline`;
    },
  };
}

/** One Idempotency-Key per upload a case needs, however many polls ask for it. */
const uploadKeys = new Map<string, string>();
const keyFor = (what: string) => uploadKeys.get(what) ?? (uploadKeys.set(what, randomUUID()), uploadKeys.get(what)!);
const uploadedOnce = new Set<string>();

const describe = (label: string, reply: Reply) => `${label}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`;

const upload = command('upload photo', 'citizen', (id) => `/cases/${id}/materials/photo?fileName=photo.jpg`, JPEG, { 'Content-Type': 'image/jpeg' });
const submit = command('submit', 'citizen', (id) => `/cases/${id}/submit`);
const accept = command('accept', 'clerk', (id) => `/cases/${id}/accept`);
const approveAndCertify = [
  command('approve', 'clerk', (id) => `/cases/${id}/approve`, { reasons: ['chaos: all conditions met'] }),
  command('certificate', 'clerk', (id) => `/cases/${id}/certificate`),
];
const requestSupplement = command('supplement request', 'clerk', (id) => `/cases/${id}/supplement-request`, { items: [{ materialId: 'rental-contract', note: '请上传租赁合同' }] });

const SCRIPTS: Record<CaseKind, Step[]> = {
  certified: [upload, submit, accept, reaches('review'), ...approveAndCertify],
  supplemented: [
    upload, submit, requestSupplement,
    command('upload contract', 'citizen', (id) => `/cases/${id}/materials/rental-contract?fileName=contract.pdf`, PDF, { 'Content-Type': 'application/pdf' }),
    command('supplement', 'citizen', (id) => `/cases/${id}/supplement`),
    accept, reaches('review'), ...approveAndCertify,
  ],
  'parked-supplement': [upload, submit, requestSupplement],
  'parked-submitted': [upload, submit],
  'parked-review': [upload, submit, accept, reaches('review')],
  withdrawn: [upload, submit, command('withdraw', 'citizen', (id) => `/cases/${id}/withdraw`, { reason: 'chaos: no longer needed' })],
};

/** Runs one case of `kind` to the end of its script (or the deadline); never throws. */
export async function driveCase(client: ChaosClient, kind: CaseKind, deadline: Deadline): Promise<DrivenCase> {
  const driven: DrivenCase = { kind, caseId: null, error: null, startedAt: Date.now(), finishedAt: null };
  const draft = await client.call(citizen, 'POST', '/cases', deadline, { serviceId: 'residence-permit', form: FORM }, { 'Idempotency-Key': randomUUID() });
  if (draft.status !== 201) {
    driven.error = describe('draft', draft);
    return driven;
  }
  driven.caseId = String(draft.body.caseId);
  for (const step of SCRIPTS[kind]) {
    const error = await step.run(client, driven.caseId, deadline);
    if (error) {
      driven.error = error;
      return driven;
    }
  }
  driven.finishedAt = Date.now();
  return driven;
}

export interface LoadOptions {
  /** Cases driven at once. */
  concurrency: number;
  /** At least this many cases, and more while `keepGoing()` holds. */
  minCases: number;
  keepGoing(): boolean;
  /** No step is retried past this. */
  deadline: Deadline;
}

/** Cases of every kind in turn, `concurrency` at a time, until enough were started and the faults are over. */
export async function runLoad(client: ChaosClient, options: LoadOptions): Promise<DrivenCase[]> {
  const cases: DrivenCase[] = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while ((started < options.minCases || options.keepGoing()) && Date.now() < options.deadline()) {
        const kind = CASE_KINDS[started++ % CASE_KINDS.length]!;
        cases.push(await driveCase(client, kind, options.deadline));
      }
    }),
  );
  return cases;
}
