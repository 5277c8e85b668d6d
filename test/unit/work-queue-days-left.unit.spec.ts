import { expect } from 'chai';
import { withItemDaysLeft } from '../../projections/views/work-queue/index.ts';
import { calendar } from './projection-views-scenarios.ts';

const item = (over: Partial<{ dueOn: string | null; dueKind: 'intake' | 'promised' | null; status: 'submitted' | 'review' | 'suspended' }> = {}) => ({
  dueOn: '2026-03-09' as string | null,
  dueKind: 'promised' as 'intake' | 'promised' | null,
  status: 'review' as 'submitted' | 'review' | 'suspended',
  ...over,
});

describe('work item days left', () => {
  it('given a promised date next Monday and today Thursday, then 2 working days for a working-day service, 4 calendar days otherwise', () => {
    expect(withItemDaysLeft(item(), calendar, 'working', '2026-03-05')).to.deep.include({ daysLeft: 2, dayKind: 'working', provisional: false });
    expect(withItemDaysLeft(item(), calendar, 'calendar', '2026-03-05')).to.deep.include({ daysLeft: 4, dayKind: 'calendar' });
  });

  it('given an intake item, then it counts working days even when the service counts calendar days', () => {
    expect(withItemDaysLeft(item({ dueKind: 'intake', status: 'submitted' }), calendar, 'calendar', '2026-03-05')).to.deep.include({ daysLeft: 2, dayKind: 'working' });
  });

  it('given a due date already past, then the count is negative; on the day itself, zero', () => {
    expect(withItemDaysLeft(item(), calendar, 'working', '2026-03-11').daysLeft).to.equal(-2);
    expect(withItemDaysLeft(item(), calendar, 'working', '2026-03-09').daysLeft).to.equal(0);
  });

  it('given a suspended case or no due date, then no count: the clock is stopped or there is nothing to count to', () => {
    expect(withItemDaysLeft(item({ status: 'suspended' }), calendar, 'working', '2026-03-05').daysLeft).to.equal(null);
    expect(withItemDaysLeft(item({ dueOn: null, dueKind: null }), calendar, 'working', '2026-03-05').daysLeft).to.equal(null);
  });

  it('given a due date in a year without a published holiday arrangement, then the count is marked provisional', () => {
    const late = withItemDaysLeft(item({ dueOn: '2027-01-08' }), calendar, 'working', '2026-12-28');
    expect(late.provisional).to.equal(true);
    expect(late.daysLeft).to.be.a('number');
  });
});
