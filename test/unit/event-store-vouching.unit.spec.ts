import { expect } from 'chai';
import { validateAppend, vouchFor } from '../../adapters/event-store/index.ts';
import { InvalidAppendError, type NewEvent } from '../../domain/events/index.ts';

const event = (eventId: string): NewEvent => ({
  type: 'Noted',
  data: { n: 1 },
  metadata: { eventId, schemaVersion: 1, occurredAt: '2026-03-02T08:00:00Z', correlationId: 'c', causationId: null, commandId: 'k', actor: { kind: 'clerk', id: 'u1' } },
});

describe('event store gate: lists a wrapper vouches for', () => {
  it('given a list of events the gate would refuse, when not vouched for, then the append is refused', () => {
    const bad = [event('not-a-uuid')];
    expect(() => validateAppend('s-1', bad, { expectedRevision: 'any' })).to.throw(InvalidAppendError, /eventId/);
  });

  it('given a wrapper vouches for the list it built, then the events are not walked again, but the stream and options still are', () => {
    // A wrapper vouches only for what it built from input the gate already passed; a bad id stands in for "not re-checked".
    const built = [event('not-a-uuid')];
    expect(validateAppend('s-1', vouchFor(built), { expectedRevision: 'any' }).events).to.equal(built);
    expect(() => validateAppend('$system', vouchFor(built), { expectedRevision: 'any' })).to.throw(InvalidAppendError, /reserved/);
    expect(() => validateAppend('s-1', vouchFor(built), { expectedRevision: 'sometimes' })).to.throw(InvalidAppendError, /expectedRevision/);
  });

  it('given a vouch, when the list is validated a second time, then it is walked: a vouch covers the one append it is handed to', () => {
    const built = vouchFor([event('not-a-uuid')]);
    expect(validateAppend('s-1', built, { expectedRevision: 'any' }).events).to.equal(built);
    expect(() => validateAppend('s-1', built, { expectedRevision: 'any' })).to.throw(InvalidAppendError, /eventId/);
  });

  it('given a list vouched for, when another list is vouched for before it is handed on, then the first is walked', () => {
    const first = vouchFor([event('not-a-uuid')]);
    const second = vouchFor([event('also-not-a-uuid')]);
    expect(validateAppend('s-1', second, { expectedRevision: 'any' }).events).to.equal(second);
    expect(() => validateAppend('s-1', first, { expectedRevision: 'any' })).to.throw(InvalidAppendError, /eventId/);
    // Any validation takes the vouch, refused or not: a list that was not handed on at once is walked.
    const third = vouchFor([event('not-a-uuid-either')]);
    expect(() => validateAppend('$system', [event('x')], { expectedRevision: 'any' })).to.throw(InvalidAppendError);
    expect(() => validateAppend('s-1', third, { expectedRevision: 'any' })).to.throw(InvalidAppendError, /eventId/);
  });

  it('given a vouched list, then a copy of it is not vouched for', () => {
    const built = vouchFor([event('not-a-uuid')]);
    expect(() => validateAppend('s-1', [...built], { expectedRevision: 'any' })).to.throw(InvalidAppendError);
  });
});
