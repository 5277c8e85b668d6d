import { expect } from 'chai';
import { InvalidAppendError } from '../../domain/events/index.ts';
import type { NewEvent } from '../../domain/events/index.ts';
import type { AppendOptions } from '../../adapters/event-store/index.ts';
import type { ContractContext } from './event-store.fixtures.ts';
import { headCheckpoint, newEvent, readAllUpToMarker, uniqueStream } from './event-store.fixtures.ts';

interface BadCase {
  name: string;
  stream?: string;
  events?: () => unknown;
  options?: unknown;
  message: RegExp;
}

const withData = (data: unknown) => () => [{ ...newEvent(), data }];
const withMetadata = (change: (metadata: Record<string, unknown>) => void) => () => {
  const event = newEvent() as NewEvent & { metadata: Record<string, unknown> };
  change(event.metadata);
  return [event];
};
const cyclic = () => {
  const data: Record<string, unknown> = { a: 1 };
  data['self'] = data;
  return data;
};

const cases: BadCase[] = [
  { name: 'an unknown expectedRevision string', options: { expectedRevision: 'latest' }, message: /expectedRevision/ },
  { name: 'a number instead of a bigint revision', options: { expectedRevision: 3 }, message: /expectedRevision/ },
  { name: 'a negative revision', options: { expectedRevision: -1n }, message: /expectedRevision/ },
  { name: 'missing options', options: undefined, message: /expectedRevision/ },
  { name: 'an empty event list', events: () => [], message: /at least one event/ },
  { name: 'an empty stream name', stream: '', message: /stream name/ },
  { name: 'a stream name over 200 characters', stream: 's'.repeat(201), message: /at most 200/ },
  { name: 'a BigInt in data', events: withData({ amount: 10n }), message: /BigInt/ },
  { name: 'a function in data', events: withData({ run: () => 1 }), message: /function/ },
  { name: 'undefined in data', events: withData({ gone: undefined }), message: /undefined/ },
  { name: 'a cycle in data', events: withData(cyclic()), message: /cycle/ },
  { name: 'a Date in data', events: withData({ at: new Date() }), message: /Date/ },
  { name: 'NaN in data', events: withData({ n: Number.NaN }), message: /NaN/ },
  // Hashed as [1,3] (RFC 8785 skips a hole), stored as [1,null,3]: the event's link would never verify.
  { name: 'an array with a hole in data', events: withData({ xs: [1, , 3] }), message: /hole/ },
  { name: 'a NUL character in data', events: withData({ s: 'a\u0000b' }), message: /NUL/ },
  { name: 'data that is not an object', events: withData(['a']), message: /data/ },
  { name: 'no metadata', events: () => [{ type: 'X', data: {} }], message: /metadata is required/ },
  { name: 'a missing eventId', events: withMetadata((m) => delete m['eventId']), message: /eventId/ },
  { name: 'an eventId that is not a UUID', events: withMetadata((m) => (m['eventId'] = 'evt-1')), message: /eventId/ },
  { name: 'a missing schemaVersion', events: withMetadata((m) => delete m['schemaVersion']), message: /schemaVersion/ },
  { name: 'an occurredAt without time zone', events: withMetadata((m) => (m['occurredAt'] = '2026-03-02 09:15')), message: /occurredAt/ },
  { name: 'a missing correlationId', events: withMetadata((m) => delete m['correlationId']), message: /correlationId/ },
  { name: 'an undefined causationId', events: withMetadata((m) => delete m['causationId']), message: /causationId/ },
  { name: 'a missing actor', events: withMetadata((m) => delete m['actor']), message: /actor/ },
  { name: 'an unknown actor kind', events: withMetadata((m) => (m['actor'] = { kind: 'robot', id: 'r' })), message: /actor\.kind/ },
  { name: 'a missing commandId', events: withMetadata((m) => delete m['commandId']), message: /commandId/ },
  { name: 'an empty type', events: () => [{ ...newEvent(), type: '' }], message: /type/ },
  {
    name: 'the same eventId twice in one append',
    events: () => {
      const event = newEvent();
      return [event, { ...newEvent(), metadata: { ...event.metadata } }];
    },
    message: /appears twice/,
  },
];

export function badInputCases(context: ContractContext): void {
  describe('bad input', function () {
    for (const bad of cases) {
      it(`refuses ${bad.name} with InvalidAppendError and writes nothing`, async function () {
        const stream = bad.stream ?? uniqueStream('bad');
        const head = await headCheckpoint(context.store);
        const events = bad.events ? bad.events() : [newEvent()];
        const options = 'options' in bad ? bad.options : { expectedRevision: 'any' };
        const error = await context.store
          .append(stream, events as NewEvent[], options as AppendOptions)
          .then(() => undefined, (caught: unknown) => caught);
        expect(error).to.be.instanceOf(InvalidAppendError);
        expect((error as Error).message).to.match(bad.message);
        const attempted = new Set(Array.isArray(events) ? events.map((event) => (event as NewEvent)?.metadata?.eventId) : []);
        const after = (await readAllUpToMarker(context.store, head)).flat();
        expect(after.filter((event) => attempted.has(event.metadata.eventId) || event.streamId === stream)).to.deep.equal([]);
      });
    }

    it('accepts a stream name of exactly 200 characters, counting characters rather than UTF-16 units', async function () {
      const stream = `${uniqueStream('s')}-${'流'.repeat(150)}`.padEnd(199, 'x') + '😀';
      expect([...stream].length).to.equal(200);
      await context.store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      expect(await context.store.readStream(stream)).to.have.length(1);
    });
  });
}
