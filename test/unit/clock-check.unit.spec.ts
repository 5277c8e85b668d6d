import { expect } from 'chai';
import { checkClockAtStart, checkClockSkew, ClockSkewError, MAX_CLOCK_SKEW_MS } from '../../runtime/clock-check.ts';

/** A local clock that reads `readings` in turn, and a server that answers `server`. */
const clocks = (readings: number[], server: number) => {
  let next = 0;
  return { localNow: () => readings[next++]!, serverNow: async () => server };
};

describe('clock check against the database server', () => {
  it('given a host clock 30 s ahead, when checked, then it passes and answers the skew', async () => {
    expect(await checkClockSkew(clocks([1_000_030_000, 1_000_030_000], 1_000_000_000))).to.equal(30_000);
  });

  it('given a host clock a year ahead, when checked, then it refuses with the direction and size of the skew', async () => {
    const year = 365 * 24 * 3_600_000;
    const refused = await checkClockSkew(clocks([year + 5_000, year + 5_002], 5_001)).then(() => null, (error: unknown) => error);
    expect(refused).to.be.instanceOf(ClockSkewError);
    expect((refused as ClockSkewError).skewMs).to.equal(year);
    expect((refused as Error).message).to.match(/525600\.0 minutes ahead of the database server's/);
  });

  it('given a host clock two minutes behind, when checked, then it refuses and says behind', async () => {
    const refused = await checkClockSkew(clocks([0, 0], 120_000)).then(() => null, (error: unknown) => error);
    expect((refused as Error).message).to.match(/2\.0 minutes behind/);
  });

  it('given a right clock but an answer that took 150 s, when checked, then the round trip explains the gap and it passes', async () => {
    // The server read its clock at some moment within the round trip: the midpoint is off by up to half of it.
    expect(await checkClockSkew(clocks([0, 150_000], 1_000))).to.equal(74_000);
  });

  it('given a skew just past the limit with an instant answer, when checked, then it refuses', async () => {
    const refused = await checkClockSkew(clocks([MAX_CLOCK_SKEW_MS + 1, MAX_CLOCK_SKEW_MS + 1], 0)).then(() => null, (error: unknown) => error);
    expect(refused).to.be.instanceOf(ClockSkewError);
  });

  it('given a database server that does not answer, when a process starts, then the check steps aside with a warning (the stores report the outage as they always did); a skewed clock still refuses', async () => {
    const warned: string[] = [];
    const logger = { debug: () => undefined, warn: (_: object, msg: string) => void warned.push(msg) };
    await checkClockAtStart({ localNow: () => 0, serverNow: () => Promise.reject(new Error('connect ECONNREFUSED')) }, logger);
    expect(warned).to.deep.equal(['clock not checked: the database server did not answer']);
    const refused = await checkClockAtStart(clocks([10 * MAX_CLOCK_SKEW_MS, 10 * MAX_CLOCK_SKEW_MS], 0), logger).then(() => null, (error: unknown) => error);
    expect(refused).to.be.instanceOf(ClockSkewError);
  });
});
