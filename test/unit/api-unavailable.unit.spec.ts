import { expect } from 'chai';
import express from 'express';
import pino from 'pino';
import { problemHandler, toProblem } from '../../api/http/index.ts';
import { dependencyFailure, isDependencyUnavailable } from '../../adapters/dependency-unavailable.ts';

/** Errors as pg, pg-pool, Node sockets and ioredis shape them when a server is away. */
const outage = {
  'pg: admin shutdown (57P01)': Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
  'pg: starting up (57P03)': Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
  'pg: connection lost mid-query': new Error('Connection terminated unexpectedly'),
  // A server that accepts and never answers, with connectionTimeoutMillis set (adapters/pg-pool.ts).
  'pg: a new connection timed out': new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') }),
  'socket: refused': Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
  'pool wrapping a refused socket': new Error('could not reach the store', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
  'node: several addresses refused': new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], ''),
  'ioredis: closed': new Error('Connection is closed.'),
  'ioredis: retries spent': Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }),
};

/** The server is there, but no connection to it is free: load, not an outage. */
const busy = {
  // Waited the pool's whole connectionTimeoutMillis for a free client (adapters/pg-pool.ts).
  'pg-pool: no free client within the bound': new Error('timeout exceeded when trying to connect'),
  'pg: too many connections (53300)': Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
  'a store wrapping the pool timeout': new Error('could not read the case', { cause: new Error('timeout exceeded when trying to connect') }),
};

describe('dependency outages over HTTP', () => {
  for (const [kind, errors] of [['unreachable', outage], ['busy', busy]] as const) {
    for (const [label, error] of Object.entries(errors)) {
      it(`given ${label}, then it is a 503 problem with Retry-After, not a bug, its reason '${kind}'`, () => {
        expect(isDependencyUnavailable(error)).to.equal(true);
        expect(dependencyFailure(error)).to.equal(kind);
        const { problem, unexpected, unavailable } = toProblem(error);
        expect(problem.status).to.equal(503);
        expect(Number(problem.headers['Retry-After'])).to.be.greaterThan(0);
        expect(problem.extensions).to.include({ reason: kind });
        expect(problem.detail).to.match(kind === 'busy' ? /every connection .* is in use/ : /temporarily unreachable/);
        expect(unexpected).to.equal(false);
        expect(unavailable).to.equal(kind);
      });
    }
  }

  it('given a bug or a refused statement, then it is not mistaken for an outage', () => {
    for (const error of [new TypeError('x is undefined'), Object.assign(new Error('duplicate key'), { code: '23505' }), Object.assign(new Error('syntax'), { code: '42601' })]) {
      expect(isDependencyUnavailable(error), error.message).to.equal(false);
      expect(dependencyFailure(error), error.message).to.equal(null);
      expect(toProblem(error).problem.status).to.equal(500);
    }
  });
});

describe('dependency outages in the log', () => {
  it('given an outage and then a pool with no free connection within a minute, then each is logged once, by its reason, and every request answers 503', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const app = express();
    app.get('/down', () => {
      throw outage['socket: refused'];
    });
    app.get('/busy', () => {
      throw busy['pg-pool: no free client within the bound'];
    });
    app.use(problemHandler(logger));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const reasons: unknown[] = [];
      for (const path of ['/down', '/down', '/busy', '/busy', '/down']) {
        const response = await fetch(base + path);
        expect(response.status).to.equal(503);
        reasons.push(((await response.json()) as { reason?: unknown }).reason);
      }
      expect(reasons).to.deep.equal(['unreachable', 'unreachable', 'busy', 'busy', 'unreachable']);
      const warnings = lines.filter((line) => line.level === 40);
      // One line per reason: the pool running dry is not hidden behind the outage's line, nor counted in it.
      expect(warnings.map((line) => line.reason)).to.deep.equal(['unreachable', 'busy']);
      expect(String(warnings[1]!.msg)).to.match(/every connection .* in use/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
