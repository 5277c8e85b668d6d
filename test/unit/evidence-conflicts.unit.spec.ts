import { expect } from 'chai';
import { detectConflicts } from '../../domain/evidence/index.ts';

describe('evidence conflict detection', () => {
  it('given two sources that disagree on the address, when compared, then the conflict names the field and both values with their sources', () => {
    const conflicts = detectConflicts(
      { source: 'PSB', fields: { name: '李四', address: '深圳市南山区学府路1号' } },
      { source: 'base-library', fields: { name: '李四', address: '深圳市福田区莲花路2号' } },
    );
    expect(conflicts).to.deep.equal([
      { field: 'address', values: [{ source: 'PSB', value: '深圳市南山区学府路1号' }, { source: 'base-library', value: '深圳市福田区莲花路2号' }] },
    ]);
  });

  it('given values that differ only in spacing or full-width forms, when compared, then there is no conflict', () => {
    expect(detectConflicts({ source: 'a', fields: { address: '学府路  1号', area: 12 } }, { source: 'b', fields: { address: '学府路 １号', area: 12 } })).to.deep.equal([]);
  });

  it('given a field one source leaves empty, when compared, then absence is not a disagreement', () => {
    expect(detectConflicts({ source: 'a', fields: { name: '李四', sex: null } }, { source: 'b', fields: { name: '李四', sex: 'male' } })).to.deep.equal([]);
  });

  it('given a restriction to some fields, when compared, then other disagreements are ignored', () => {
    const conflicts = detectConflicts({ source: 'a', fields: { name: 'x', address: 'p' } }, { source: 'b', fields: { name: 'y', address: 'q' } }, ['name']);
    expect(conflicts.map((c) => c.field)).to.deep.equal(['name']);
  });

  it('given numbers and booleans, when compared, then type matters: 1 and "1" disagree', () => {
    expect(detectConflicts({ source: 'a', fields: { n: 1 } }, { source: 'b', fields: { n: '1' } })).to.have.length(1);
  });
});
