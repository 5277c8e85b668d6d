import { expect } from 'chai';
import type { AccessLog, NewAccessLogEntry } from '../../adapters/gateway/index.ts';

export interface AccessLogHarness {
  /** A log of department PSB that keeps answers with its entries when the adapter can. */
  log: AccessLog;
  /** A log of PSB that does not keep answers (its gateway keeps them in the replay cache). */
  plain(): Promise<AccessLog>;
  /** Whether a second instance of PSB's gateway, opened over the same store, sees the entries (memory: no). */
  shared: boolean;
  /** Another instance of PSB's gateway, or of `department`'s, over the same store. */
  another(department?: string): Promise<AccessLog>;
  cleanup(): Promise<void>;
}

const entry = (overrides: Partial<NewAccessLogEntry> = {}): NewAccessLogEntry => ({
  at: '2026-03-02T09:00:00.000Z', department: 'PSB', result: 'found', status: 200, reason: null, verified: true,
  requestId: 'r-1', issuer: 'errand', keyId: 'k-1', requester: 'AMR', caseId: 'case-1', serviceId: 'residence-permit',
  legalBasis: 'Residence Permit Regulation art. 5', subject: { type: 'person', id: '110101199003077777' }, dataItem: 'household-registration',
  fields: ['name', 'address'], ...overrides,
});

const keep = (requestKey: string) => ({ requestKey, digest: 'd', body: '{"fields":{}}', expiresAtMs: Date.parse('2026-03-03T09:00:00Z'), nowMs: Date.parse('2026-03-02T09:00:00Z') });

/** The behaviour every gateway access log must show: the department's own record of who asked for what. */
export function accessLogContract(name: string, open: () => Promise<AccessLogHarness>): void {
  describe(`AccessLog contract: ${name}`, function () {
    this.timeout(60_000);
    let harness: AccessLogHarness;
    beforeEach(async () => {
      harness = await open();
    });
    afterEach(async () => harness.cleanup());

    it('given entries appended, then each reads back as it was given, numbered upwards in the order appended', async () => {
      const first = await harness.log.append(entry({ requestId: 'a' }));
      const second = await harness.log.append(entry({ requestId: 'b', result: 'refused', status: 403, reason: 'sharing rule', verified: false, subject: null, fields: [] }));
      expect(second.seq).to.be.greaterThan(first.seq);
      const listed = await harness.log.list();
      expect(listed).to.deep.equal([first, second]);
      expect(listed[1]).to.deep.include({ requestId: 'b', result: 'refused', status: 403, reason: 'sharing rule', verified: false, subject: null, fields: [] });
      expect(listed[0]).to.deep.equal({ ...entry({ requestId: 'a' }), seq: first.seq });
    });

    it('given entries of several cases and subjects, when listed after a seq, by case or by subject, then exactly the matching ones come, in order', async () => {
      const appended = [];
      for (const [caseId, id] of [['c1', 's1'], ['c2', 's1'], ['c1', 's2'], ['c3', 's3']] as const) {
        appended.push(await harness.log.append(entry({ caseId, subject: { type: 'person', id }, requestId: `${caseId}-${id}` })));
      }
      const ids = (entries: Array<{ requestId: string | null }>) => entries.map((e) => e.requestId);
      expect(ids(await harness.log.list({ caseId: 'c1' }))).to.deep.equal(['c1-s1', 'c1-s2']);
      expect(ids(await harness.log.list({ subjectId: 's1' }))).to.deep.equal(['c1-s1', 'c2-s1']);
      expect(ids(await harness.log.list({ after: appended[1]!.seq }))).to.deep.equal(['c1-s2', 'c3-s3']);
      expect(ids(await harness.log.list({ after: appended[0]!.seq, caseId: 'c1', subjectId: 's2' }))).to.deep.equal(['c1-s2']);
      expect(await harness.log.list({ caseId: 'nobody' })).to.deep.equal([]);
    });

    it('given more entries than a page, then a page holds 100 unless asked, never more than 1,000, and paging by seq reads each entry once', async () => {
      for (let i = 0; i < 1005; i += 1) await harness.log.append(entry({ requestId: `p-${i}` }));
      expect(await harness.log.list()).to.have.length(100);
      expect(await harness.log.list({ limit: 5000 })).to.have.length(1000);
      expect(await harness.log.list({ limit: 0 })).to.deep.equal([]);
      const seen: string[] = [];
      for (let after = 0; ; ) {
        const page = await harness.log.list({ after, limit: 300 });
        if (page.length === 0) break;
        seen.push(...page.map((e) => e.requestId!));
        after = page[page.length - 1]!.seq;
      }
      expect(seen).to.deep.equal(Array.from({ length: 1005 }, (_, i) => `p-${i}`));
    });

    it('given twenty appends at once, then each gets its own seq and every one is listed', async () => {
      const logged = await Promise.all(Array.from({ length: 20 }, (_, i) => harness.log.append(entry({ requestId: `at-once-${i}` }))));
      expect(new Set(logged.map((e) => e.seq)).size).to.equal(20);
      expect((await harness.log.list()).map((e) => e.requestId).sort()).to.deep.equal(logged.map((e) => e.requestId).sort());
    });

    it('given a log that does not keep answers, when asked to keep one with an entry, then it refuses and logs nothing, rather than keep it where retries would not look', async () => {
      const plain = await harness.plain();
      expect(Boolean(plain.keepsAnswers)).to.equal(false);
      const failed = await plain.append(entry({ requestId: 'kept?' }), keep('k')).then(() => null, (error: unknown) => error);
      expect(String(failed)).to.match(/does not keep answers/);
      expect(await plain.list({ caseId: 'case-1' })).to.deep.equal([]);
    });

    it('given a second instance of the gateway, then it sees the entries exactly when the store is shared, and never those of another department', async () => {
      const mine = await harness.log.append(entry({ requestId: 'mine' }));
      const other = await harness.another('HRSS');
      await other.append(entry({ department: 'HRSS', requestId: 'theirs' }));
      const twin = await harness.another();
      expect(await twin.list()).to.deep.equal(harness.shared ? [mine] : []);
      expect((await harness.log.list()).map((e) => e.requestId)).to.deep.equal(['mine']);
    });
  });
}
