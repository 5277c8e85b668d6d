import { expect } from 'chai';
import { toProblem } from '../../api/http/index.ts';
import { isDependencyUnavailable } from '../../adapters/dependency-unavailable.ts';

/** Errors as pg, pg-pool, Node sockets and ioredis shape them when a server is away. */
const outage = {
  'pg: admin shutdown (57P01)': Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
  'pg: starting up (57P03)': Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
  'pg: connection lost mid-query': new Error('Connection terminated unexpectedly'),
  'pg-pool: connect timeout': new Error('timeout exceeded when trying to connect'),
  // A server that accepts and never answers, with connectionTimeoutMillis set (adapters/pg-pool.ts).
  'pg: a new connection timed out': new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') }),
  'socket: refused': Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
  'pool wrapping a refused socket': new Error('could not reach the store', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
  'node: several addresses refused': new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], ''),
  'ioredis: closed': new Error('Connection is closed.'),
  'ioredis: retries spent': Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }),
};

describe('dependency outages over HTTP', () => {
  for (const [label, error] of Object.entries(outage)) {
    it(`given ${label}, then it is a 503 problem with Retry-After, not a bug`, () => {
      expect(isDependencyUnavailable(error)).to.equal(true);
      const { problem, unexpected, unavailable } = toProblem(error);
      expect(problem.status).to.equal(503);
      expect(Number(problem.headers['Retry-After'])).to.be.greaterThan(0);
      expect(unexpected).to.equal(false);
      expect(unavailable).to.equal(true);
    });
  }

  it('given a bug or a refused statement, then it is not mistaken for an outage', () => {
    for (const error of [new TypeError('x is undefined'), Object.assign(new Error('duplicate key'), { code: '23505' }), Object.assign(new Error('syntax'), { code: '42601' })]) {
      expect(isDependencyUnavailable(error), error.message).to.equal(false);
      expect(toProblem(error).problem.status).to.equal(500);
    }
  });
});
