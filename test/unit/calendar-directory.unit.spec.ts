import { expect } from 'chai';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALENDAR_DATA_DIR, openCalendarDirectory } from '../../adapters/files/index.ts';

const year2027 = (to: string) => ({
  region: 'CN',
  year: 2027,
  source: 'test',
  holidays: [{ name: { 'zh-CN': '元旦', en: "New Year's Day" }, from: '2027-01-01', to, makeUpWorkingDays: [] }],
});

describe('calendar directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'errand-calendar-dir-'));
    copyFileSync(join(CALENDAR_DATA_DIR, 'CN-2026.json'), join(dir, 'CN-2026.json'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given a new year\'s file dropped in, when rescanned, then the region gets a new calendar and version, returned with the old one', () => {
    const calendars = openCalendarDirectory(dir);
    const before = calendars.calendar('CN');
    expect(calendars.rescan()).to.deep.equal([]);
    writeFileSync(join(dir, 'CN-2027.json'), JSON.stringify(year2027('2027-01-04')));
    const [change, ...more] = calendars.rescan();
    expect(more).to.deep.equal([]);
    expect(change!.previous).to.equal(before);
    expect(calendars.calendar('CN')).to.equal(change!.current);
    expect(change!.current.years).to.deep.equal([2026, 2027]);
    expect(change!.current.version).to.match(/^CN:2026,2027@[0-9a-f]{12}$/).and.not.equal(before.version);
    expect(calendars.versions()).to.equal(change!.current.version);
  });

  it('given a corrected file, when rescanned, then the version changes though the years do not', () => {
    writeFileSync(join(dir, 'CN-2027.json'), JSON.stringify(year2027('2027-01-03')));
    const calendars = openCalendarDirectory(dir);
    const before = calendars.calendar('CN').version;
    writeFileSync(join(dir, 'CN-2027.json'), JSON.stringify(year2027('2027-01-04')));
    expect(calendars.rescan().map((c) => c.region)).to.deep.equal(['CN']);
    expect(calendars.calendar('CN').version).to.not.equal(before);
    expect(calendars.calendar('CN').isWorkingDay('2027-01-04')).to.equal(false);
  });

  it('given an invalid file dropped in, when rescanned, then it throws naming the file and the calendar in use stays', () => {
    const calendars = openCalendarDirectory(dir);
    const before = calendars.calendar('CN');
    writeFileSync(join(dir, 'CN-2027.json'), JSON.stringify({ ...year2027('2027-01-04'), year: 2028 }));
    expect(() => calendars.rescan()).to.throw(/CN-2027\.json/);
    expect(calendars.calendar('CN')).to.equal(before);
  });
});
