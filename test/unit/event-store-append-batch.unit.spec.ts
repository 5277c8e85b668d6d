import { expect } from 'chai';
import { appendBatch } from '../../adapters/event-store/postgres/index.ts';
import type { SqlRunner, SqlStatement } from '../../adapters/event-store/postgres/index.ts';
import type { ValidatedAppend } from '../../adapters/event-store/index.ts';
import { newEvent } from '../contract/event-store.fixtures.ts';

/** Answers a batch as the server function does: one row per item, `ord` its place in what was sent. */
function recordingServer() {
  const sent: Array<{ stream: string; expected: string; events: Array<{ type: string }> }[]> = [];
  const runner: SqlRunner = {
    async query<Row>(statement: SqlStatement): Promise<Row[]> {
      const batch = JSON.parse(statement.values[0] as string) as Array<{ stream: string; expected: string; events: Array<{ type: string }> }>;
      sent.push(batch);
      // A row's position (100 + its place in the sent batch) tells which append it answers.
      return batch.map((item, index) => ({ ord: String(index + 1), next_revision: String(index), last_position: String(100 + index) })) as Row[];
    },
  };
  return { runner, sent };
}

const item = (stream: string, type: string, expectedRevision: ValidatedAppend['expectedRevision'] = 'any'): ValidatedAppend => ({
  stream,
  expectedRevision,
  events: [newEvent(type)],
});

describe('SQL append batch', () => {
  it('given appends to streams in any order, then the server gets them sorted by stream, a stream’s own appends in arrival order', async () => {
    const { runner, sent } = recordingServer();
    await appendBatch(runner, [item('case-b', 'B1'), item('case-a', 'A1', 'no_stream'), item('case-b', 'B2', 3n), item('case-a', 'A2')]);
    expect(sent[0]!.map((i) => [i.stream, i.events[0]!.type, i.expected])).to.deep.equal([
      ['case-a', 'A1', 'no_stream'],
      ['case-a', 'A2', 'any'],
      ['case-b', 'B1', 'any'],
      ['case-b', 'B2', '3'],
    ]);
  });

  it('given the rows in the server’s order, then each caller gets the result of its own append', async () => {
    const { runner } = recordingServer();
    const results = await appendBatch(runner, [item('z', 'Z'), item('m', 'M'), item('a', 'A')]);
    // Sent as a, m, z: a got position 100, m 101, z 102.
    expect(results.map((r) => r.position)).to.deep.equal([102n, 101n, 100n]);
  });

  it('given fewer rows than appends, then it throws rather than answer a caller with nothing', async () => {
    const runner: SqlRunner = { query: async <Row>() => [{ ord: '1', next_revision: '0', last_position: '1' }] as Row[] };
    const error = await appendBatch(runner, [item('a', 'A'), item('b', 'B')]).then(() => null, (e: unknown) => e);
    expect(String(error)).to.contain('returned 1 rows');
  });
});
