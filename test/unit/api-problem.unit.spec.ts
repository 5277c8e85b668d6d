import { expect } from 'chai';
import { WrongExpectedVersionError, InvalidAppendError } from '../../domain/events/index.ts';
import { registerErrorMapping, toProblem } from '../../api/http/index.ts';
import { HttpProblem, conflict, tooManyRequests, unauthorized, validationFailed } from '../../api/http/index.ts';
import { redactPersonalData } from '../../api/http/index.ts';

describe('problem details and error mapping (api-problem)', () => {
  it('given a problem, when serialised, then standard members come first and extensions cannot overwrite them', () => {
    const problem = new HttpProblem({ status: 409, slug: 'x', title: 'X', detail: 'd', extensions: { status: 200, type: 'y', extra: 1 } });
    expect(problem.toJSON('/p', 'r1')).to.deep.equal({ type: 'urn:errand:problem:x', title: 'X', status: 409, detail: 'd', instance: '/p', extra: 1, requestId: 'r1' });
  });

  it('given validation issues, when a problem is made, then the detail names the first and counts the rest', () => {
    const problem = validationFailed([{ path: '/body/a', message: 'is required' }, { path: '/query/b', message: 'must be integer' }]);
    expect(problem.detail).to.equal('/body/a: is required (and 1 more)');
    expect(problem.extensions.errors).to.have.length(2);
  });

  it('given a 401 with and without an error code, when made, then the challenge follows RFC 6750', () => {
    expect(unauthorized('no token').headers['WWW-Authenticate']).to.equal('Bearer realm="errand"');
    expect(unauthorized('bad "token"', 'invalid_token').headers['WWW-Authenticate']).to.equal(
      'Bearer realm="errand", error="invalid_token", error_description="bad \'token\'"',
    );
  });

  it('given a rate limit, when a 429 is made, then Retry-After is whole seconds and at least 1', () => {
    expect(tooManyRequests(0.2).headers['Retry-After']).to.equal('1');
    expect(tooManyRequests(12.1).headers['Retry-After']).to.equal('13');
  });

  it('given the event store errors, when mapped, then stale revision is 409 and a bad append 400', () => {
    const stale = toProblem(new WrongExpectedVersionError('case-1', '4', 6n));
    expect(stale.problem.status).to.equal(409);
    expect(stale.problem.extensions).to.deep.equal({ expectedRevision: '4', currentRevision: '6' });
    expect(toProblem(new InvalidAppendError('no events')).problem).to.include({ status: 400, detail: 'nothing was recorded: no events' });
  });

  it('given a body-parser error, when mapped, then 400 names the position and 413 names the limit', () => {
    const syntax = Object.assign(new SyntaxError('Unexpected token } in JSON at position 7'), { type: 'entity.parse.failed' });
    expect(toProblem(syntax).problem.extensions).to.deep.equal({ position: 7 });
    const large = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', limit: 2048 });
    expect(toProblem(large).problem).to.include({ status: 413, detail: 'the request body is larger than the limit of 2048 bytes' });
  });

  it('given a code registered by a route author, when mapped, then the author’s problem is used', () => {
    registerErrorMapping('TEST_QUOTA_USED', (error) => conflict(`quota used: ${String(error.quota)}`));
    const mapped = toProblem(Object.assign(new Error('x'), { code: 'TEST_QUOTA_USED', quota: 3 }));
    expect(mapped).to.deep.include({ unexpected: false });
    expect(mapped.problem.detail).to.equal('quota used: 3');
    expect(() => registerErrorMapping('lower', () => conflict('x'))).to.throw(/UPPER_SNAKE_CASE/);
  });

  it('given an unknown error or a throwing mapper, when mapped, then it is an unexpected 500 with a generic detail', () => {
    registerErrorMapping('TEST_BROKEN_MAPPER', () => {
      throw new Error('mapper bug');
    });
    for (const error of [new Error('secret detail'), 'a string', Object.assign(new Error('x'), { code: 'TEST_BROKEN_MAPPER' })]) {
      const mapped = toProblem(error);
      expect(mapped.unexpected).to.equal(true);
      expect(mapped.problem.status).to.equal(500);
      expect(mapped.problem.detail).not.to.contain('secret');
    }
  });

  it('given text with personal data, when redacted, then IDs, credit codes, phones and emails are masked', () => {
    const text = 'id 11010519491231002X, old 110105491231002, code 91350100M000100Y43, tel 13812345678, li@example.cn, case-42';
    expect(redactPersonalData(text)).to.equal('id [redacted], old [redacted], code [redacted], tel [redacted], [redacted], case-42');
  });
});
