import { expect } from 'chai';
import { ratioInterval, type TimedRun } from '../../bench/support/measure.ts';

const slice = (ops: number, seconds = 1): TimedRun => ({ ops, seconds, latenciesMs: [] });

describe('bench ratio interval (bench/support/measure.ts)', () => {
  it('given slice pairs whose ratio is the same in every pair, when the interval is taken, then it is that ratio exactly', () => {
    // The host's speed moves both sides of a pair together: a steady ratio has no spread, whatever the drift.
    const baseline = [100, 80, 120, 90, 110].map((ops) => slice(ops));
    const measured = baseline.map((run) => slice(run.ops * 0.85));
    const { low, high } = ratioInterval(measured, baseline);
    expect(low).to.be.closeTo(0.85, 1e-12);
    expect(high).to.be.closeTo(0.85, 1e-12);
  });

  it('given one slow pair among steady ones, when the interval is taken, then it spans below the steady ratio and not above it', () => {
    const baseline = Array.from({ length: 10 }, () => slice(100));
    const measured = [...Array.from({ length: 9 }, () => slice(90)), slice(50)];
    const { low, high } = ratioInterval(measured, baseline);
    expect(high).to.be.closeTo(0.9, 1e-12);
    expect(low).to.be.below(0.87);
    expect(low).to.be.above(0.5);
  });

  it('given the same slices twice, when the interval is taken, then it is the same both times (seeded resampling)', () => {
    const baseline = [100, 95, 105, 98, 102, 99].map((ops) => slice(ops));
    const measured = [80, 90, 70, 88, 84, 79].map((ops) => slice(ops));
    expect(ratioInterval(measured, baseline)).to.deep.equal(ratioInterval(measured, baseline));
  });

  it('given slices of different lengths, when the interval is taken, then each side is weighed by its time as the summed ratio is', () => {
    // 100 events in 2 s against 100 in 1 s is 0.5 whatever the pairing: ops over seconds, never a mean of ratios.
    const { low, high } = ratioInterval([slice(100, 2), slice(50, 1)], [slice(100, 1), slice(50, 0.5)]);
    expect(low).to.be.closeTo(0.5, 1e-12);
    expect(high).to.be.closeTo(0.5, 1e-12);
  });

  it('given unpaired slices or a confidence outside (0, 1), when the interval is asked for, then it is refused', () => {
    expect(() => ratioInterval([slice(1)], [])).to.throw(RangeError);
    expect(() => ratioInterval([], [])).to.throw(RangeError);
    expect(() => ratioInterval([slice(1)], [slice(1)], 1)).to.throw(RangeError);
  });
});
