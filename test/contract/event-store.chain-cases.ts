import { expect } from 'chai';
import type { ContractContext } from './event-store.fixtures.ts';
import { newEvent, newEvents, uniqueStream } from './event-store.fixtures.ts';

/** Payloads whose canonical JSON differs most from JSON.stringify and from jsonb's own text form. */
const AWKWARD = [
  { n: 1e21, small: 1e-7, neg: -0, frac: 0.1 + 0.2, big: 9007199254740993, int: 100 },
  { z: 1, a: 2, 'é': 3, '€': 4, '\u{1F600}': 5, aa: 6, '10': 7, '9': 8 },
  { nested: { b: [3, { y: null, x: true }], a: 'line\nbreak "quoted" \\ slash' }, empty: {}, list: [] },
  { text: '日本語 مرحبا \u2028 \u00e9 e\u0301' },
];

/** The hash-linked log (issue #12, item 1) on the stores that keep one. */
export function chainCases(context: ContractContext): void {
  describe('hash-linked log', function () {
    it('given appends with awkward payloads, single and grouped, then the whole log verifies from the stored rows', async function () {
      const { verifyLog } = context.store;
      if (!verifyLog) {
        console.log(`      [skipped] hash-linked log: ${context.store.kind} is append-only by design and keeps no hash links (README)`);
        this.skip();
      }
      const prefix = uniqueStream('chain');
      await Promise.all(AWKWARD.map((data, i) => context.store.append(`${prefix}-${i}`, [newEvent('Awkward', data)], { expectedRevision: 'no_stream' })));
      await context.store.append(`${prefix}-many`, newEvents(5), { expectedRevision: 'no_stream' });
      const verdict = await verifyLog.call(context.store);
      expect(verdict.fault).to.equal(null);
      expect(verdict.ok).to.equal(true);
      expect(verdict.checked).to.be.at.least(AWKWARD.length + 5);
      const head = await context.store.head?.();
      expect(verdict.last?.position).to.equal(head?.prepare);
    });

    it('given a head taken now, then the log verifies against it and later appends keep verifying', async function () {
      const { verifyLog } = context.store;
      if (!verifyLog) {
        console.log(`      [skipped] hash-linked log: ${context.store.kind} keeps no hash links`);
        this.skip();
      }
      await context.store.append(uniqueStream('chain-head'), newEvents(2), { expectedRevision: 'no_stream' });
      const now = await verifyLog.call(context.store);
      await context.store.append(uniqueStream('chain-head'), newEvents(2), { expectedRevision: 'no_stream' });
      const later = await verifyLog.call(context.store, [{ position: now.last!.position, link: now.last!.link }]);
      expect(later.ok, JSON.stringify(later.fault)).to.equal(true);
      expect(later.last!.position).to.equal(now.last!.position + 2n);
    });
  });
}
