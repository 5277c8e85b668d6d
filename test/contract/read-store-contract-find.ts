import { expect } from 'chai';
import type { FindQuery, ReadStore } from '../../domain/ports/read-store.ts';

const CASES = [
  {
    id: 'c1',
    status: 'submitted',
    dept: 'health',
    fee: 100,
    urgent: true,
    due: { statutory: '2025-03-01' },
    tags: ['a', 'b'],
    applicant: { name: '张伟' },
    steps: [{ name: 'intake' }],
  },
  { id: 'c2', status: 'approved', dept: 'health', fee: 20.5, urgent: false, due: { statutory: '2025-01-15' }, tags: ['b'], applicant: { name: 'Li Na' } },
  { id: 'c3', status: 'submitted', dept: 'transport', fee: 1000, urgent: false, due: { statutory: null }, tags: [], applicant: { name: 'Wang Fang' } },
  // urgent and due.statutory are missing here: missing must behave like null.
  { id: 'c4', status: 'rejected', dept: 'transport', fee: 5, due: {}, tags: ['c'], applicant: { name: 'Zhang Wei' } },
  // fee is a string here: equality and ranges must not coerce it.
  { id: 'c5', status: 'submitted', dept: 'health', fee: '300', urgent: true, due: { statutory: '2025-02-10' }, tags: ['a'], applicant: { name: 'Émile' } },
];

/** find(): every filter form, dotted paths, ordering, paging and totals; the fixture mixes types on purpose. */
export function findContract(store: () => ReadStore): void {
  describe('find', () => {
    const c = `find_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const ids = async (query: FindQuery) => (await store().find(c, query)).items.map((doc) => doc.id);
    const sortedIds = async (query: FindQuery) => (await ids(query)).sort();

    before(async () => {
      await store().transaction((tx) => tx.putMany(c, CASES.map((doc) => ({ id: doc.id, doc }))));
    });

    it('without a query returns every document with its total, in id order', async () => {
      const result = await store().find(c, {});
      expect(result.total).to.equal(5);
      expect(result.items.map((doc) => doc.id)).to.deep.equal(['c1', 'c2', 'c3', 'c4', 'c5']);
      expect(result.items[0]).to.deep.equal(CASES[0]);
    });

    it('returns nothing for an unknown collection', async () => {
      expect(await store().find(`${c}_other`, {})).to.deep.equal({ items: [], total: 0 });
    });

    it('matches equality on strings, numbers and booleans without coercing types', async () => {
      expect(await sortedIds({ where: { status: 'submitted' } })).to.deep.equal(['c1', 'c3', 'c5']);
      expect(await sortedIds({ where: { fee: 100 } })).to.deep.equal(['c1']);
      expect(await sortedIds({ where: { fee: 20.5 } })).to.deep.equal(['c2']);
      expect(await sortedIds({ where: { fee: '300' } })).to.deep.equal(['c5']);
      expect(await sortedIds({ where: { fee: 300 } })).to.deep.equal([]);
      expect(await sortedIds({ where: { urgent: false } })).to.deep.equal(['c2', 'c3']);
    });

    it('matches null against null and missing fields', async () => {
      expect(await sortedIds({ where: { urgent: null } })).to.deep.equal(['c4']);
      expect(await sortedIds({ where: { 'due.statutory': null } })).to.deep.equal(['c3', 'c4']);
    });

    it('follows dotted paths into objects and array positions', async () => {
      expect(await sortedIds({ where: { 'due.statutory': '2025-01-15' } })).to.deep.equal(['c2']);
      expect(await sortedIds({ where: { 'applicant.name': '张伟' } })).to.deep.equal(['c1']);
      expect(await sortedIds({ where: { 'steps.0.name': 'intake' } })).to.deep.equal(['c1']);
      expect(await sortedIds({ where: { 'no.such.path': 'x' } })).to.deep.equal([]);
    });

    it('matches "in" lists, with null standing for missing too, and an empty list matching nothing', async () => {
      expect(await sortedIds({ where: { status: { in: ['approved', 'rejected'] } } })).to.deep.equal(['c2', 'c4']);
      expect(await sortedIds({ where: { 'due.statutory': { in: [null, '2025-03-01'] } } })).to.deep.equal(['c1', 'c3', 'c4']);
      expect(await sortedIds({ where: { fee: { in: [5, '300'] } } })).to.deep.equal(['c4', 'c5']);
      expect(await sortedIds({ where: { status: { in: [] } } })).to.deep.equal([]);
    });

    it('compares number ranges numerically and only against numbers', async () => {
      expect(await sortedIds({ where: { fee: { gte: 20.5, lt: 1000 } } })).to.deep.equal(['c1', 'c2']);
      expect(await sortedIds({ where: { fee: { gt: 10 } } })).to.deep.equal(['c1', 'c2', 'c3']);
      expect(await sortedIds({ where: { fee: { lte: 5 } } })).to.deep.equal(['c4']);
    });

    it('compares string ranges lexically and skips null and missing values', async () => {
      expect(await sortedIds({ where: { 'due.statutory': { gte: '2025-02-01' } } })).to.deep.equal(['c1', 'c5']);
      expect(await sortedIds({ where: { 'due.statutory': { lt: '2025-02-01' } } })).to.deep.equal(['c2']);
      expect(await sortedIds({ where: { fee: { gte: '0' } } })).to.deep.equal(['c5']);
    });

    it('compares boolean ranges with false below true', async () => {
      expect(await sortedIds({ where: { urgent: { gt: false } } })).to.deep.equal(['c1', 'c5']);
      expect(await sortedIds({ where: { urgent: { lte: false } } })).to.deep.equal(['c2', 'c3']);
    });

    it('"contains" finds array elements and case-sensitive substrings', async () => {
      expect(await sortedIds({ where: { tags: { contains: 'a' } } })).to.deep.equal(['c1', 'c5']);
      expect(await sortedIds({ where: { tags: { contains: 'b' } } })).to.deep.equal(['c1', 'c2']);
      expect(await sortedIds({ where: { 'applicant.name': { contains: 'Wei' } } })).to.deep.equal(['c4']);
      expect(await sortedIds({ where: { 'applicant.name': { contains: '伟' } } })).to.deep.equal(['c1']);
      expect(await sortedIds({ where: { 'applicant.name': { contains: 'wei' } } })).to.deep.equal([]);
      expect(await sortedIds({ where: { fee: { contains: '0' } } })).to.deep.equal(['c5']);
    });

    it('combines conditions with AND', async () => {
      expect(await sortedIds({ where: { status: 'submitted', dept: 'health' } })).to.deep.equal(['c1', 'c5']);
      expect(await sortedIds({ where: { status: 'submitted', fee: { gt: 500 }, tags: { contains: 'a' } } })).to.deep.equal([]);
    });

    it('orders numbers numerically, before strings, in either direction', async () => {
      expect(await ids({ orderBy: [{ field: 'fee', direction: 'asc' }] })).to.deep.equal(['c4', 'c2', 'c1', 'c3', 'c5']);
      expect(await ids({ orderBy: [{ field: 'fee', direction: 'desc' }] })).to.deep.equal(['c5', 'c3', 'c1', 'c2', 'c4']);
    });

    it('orders strings by code point with null and missing values last in either direction', async () => {
      expect(await ids({ orderBy: [{ field: 'due.statutory', direction: 'asc' }] })).to.deep.equal(['c2', 'c5', 'c1', 'c3', 'c4']);
      expect(await ids({ orderBy: [{ field: 'due.statutory', direction: 'desc' }] })).to.deep.equal(['c1', 'c5', 'c2', 'c3', 'c4']);
      expect(await ids({ orderBy: [{ field: 'applicant.name', direction: 'asc' }] })).to.deep.equal(['c2', 'c3', 'c4', 'c5', 'c1']);
    });

    it('orders by several keys', async () => {
      const query: FindQuery = {
        orderBy: [
          { field: 'dept', direction: 'asc' },
          { field: 'due.statutory', direction: 'desc' },
        ],
      };
      expect(await ids(query)).to.deep.equal(['c1', 'c5', 'c2', 'c3', 'c4']);
    });

    it('orders characters beyond the BMP after those near its end', async () => {
      const s = `${c}_astral`;
      await store().transaction((tx) =>
        tx.putMany(s, [
          { id: 'clef', doc: { id: 'clef', v: '𝄞' } },
          { id: 'fullwidth', doc: { id: 'fullwidth', v: 'ｚ' } },
          { id: 'ascii', doc: { id: 'ascii', v: 'z' } },
        ]),
      );
      const result = await store().find(s, { orderBy: [{ field: 'v', direction: 'asc' }] });
      expect(result.items.map((doc) => doc.id)).to.deep.equal(['ascii', 'fullwidth', 'clef']);
    });

    it('pages with limit and offset while total counts every match', async () => {
      const byFee: FindQuery = { orderBy: [{ field: 'fee', direction: 'asc' }] };
      const page = await store().find(c, { ...byFee, limit: 2, offset: 1 });
      expect(page.items.map((doc) => doc.id)).to.deep.equal(['c2', 'c1']);
      expect(page.total).to.equal(5);
      expect(await store().find(c, { ...byFee, offset: 4 })).to.deep.include({ total: 5 });
      expect((await ids({ ...byFee, offset: 4 }))).to.deep.equal(['c5']);
      expect(await store().find(c, { ...byFee, offset: 10 })).to.deep.equal({ items: [], total: 5 });
      expect(await store().find(c, { limit: 0 })).to.deep.equal({ items: [], total: 5 });
      const filtered = await store().find(c, { where: { status: 'submitted' }, limit: 1 });
      expect(filtered.total).to.equal(3);
      expect(filtered.items.map((doc) => doc.id)).to.deep.equal(['c1']);
    });

    it('rejects unknown operators, unsafe paths and bad paging', async () => {
      const bad: FindQuery[] = [
        { where: { fee: { between: [1, 2] } as never } },
        { where: { $where: 'x' } },
        { where: { 'a..b': 1 } },
        { where: { fee: { lt: null } } },
        { where: { fee: { in: [{}] } as never } },
        { limit: -1 },
        { offset: 1.5 },
      ];
      for (const query of bad) {
        let failed = false;
        await store()
          .find(c, query)
          .catch(() => (failed = true));
        expect(failed, JSON.stringify(query)).to.equal(true);
      }
    });
  });
}
