import { expect } from 'chai';
import { parseIdempotencyKey, parseIfMatch, revisionEtag } from '../../api/http/index.ts';
import { HttpProblem } from '../../api/http/index.ts';
import { acceptableRequestId } from '../../api/http/index.ts';

function problemOf(fn: () => unknown): HttpProblem {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
  throw new Error('expected a problem');
}

describe('command headers (api-headers)', () => {
  it('given no If-Match, when parsed, then there is no revision', () => {
    expect(parseIfMatch(undefined)).to.equal(null);
  });

  it('given a plain or quoted decimal If-Match, when parsed, then it is that revision as bigint', () => {
    expect(parseIfMatch('0')).to.equal(0n);
    expect(parseIfMatch('"42"')).to.equal(42n);
    expect(parseIfMatch(' 9223372036854775807 ')).to.equal(9223372036854775807n);
  });

  for (const bad of ['', '*', 'W/"3"', '"3', '3"', '-1', '1.5', 'abc', '"', '9223372036854775808', '"1","2"']) {
    it(`given If-Match ${JSON.stringify(bad)}, when parsed, then a 400 problem names the expected form`, () => {
      const problem = problemOf(() => parseIfMatch(bad));
      expect(problem.status).to.equal(400);
      expect(problem.detail).to.match(/If-Match must be a case revision/);
    });
  }

  it('given a revision, when made an ETag, then If-Match parses it back', () => {
    expect(parseIfMatch(revisionEtag(17n))).to.equal(17n);
  });

  it('given an Idempotency-Key of 1 to 100 allowed characters, when parsed, then it is returned as is', () => {
    expect(parseIdempotencyKey('a')).to.equal('a');
    expect(parseIdempotencyKey('A-z_0-9')).to.equal('A-z_0-9');
    expect(parseIdempotencyKey('k'.repeat(100))).to.equal('k'.repeat(100));
    expect(parseIdempotencyKey(undefined)).to.equal(null);
  });

  for (const bad of ['', 'k'.repeat(101), 'with space', 'dot.ted', 'slash/', 'ünïcode']) {
    it(`given Idempotency-Key ${JSON.stringify(bad.length > 20 ? `${bad.slice(0, 10)}…(${bad.length})` : bad)}, when parsed, then 400`, () => {
      const problem = problemOf(() => parseIdempotencyKey(bad));
      expect(problem.status).to.equal(400);
      expect(problem.extensions.errors).to.deep.equal([{ path: '/headers/idempotency-key', message: 'must match ^[A-Za-z0-9_-]{1,100}$' }]);
    });
  }

  it('given request ids, when checked, then short plain ids pass and odd or personal-looking ones do not', () => {
    expect(acceptableRequestId('abc-123.x:y_z')).to.equal(true);
    expect(acceptableRequestId(undefined)).to.equal(false);
    expect(acceptableRequestId('')).to.equal(false);
    expect(acceptableRequestId('a b')).to.equal(false);
    expect(acceptableRequestId('x'.repeat(129))).to.equal(false);
    expect(acceptableRequestId('11010519491231002X')).to.equal(false);
  });
});
