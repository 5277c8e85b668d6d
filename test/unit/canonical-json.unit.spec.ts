import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalJson } from '../../domain/json/canonical-json.ts';

describe('canonical JSON (RFC 8785)', () => {
  it('given the RFC 8785 section 3.2.2 example, when canonicalised, then it matches the RFC byte for byte', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).to.equal(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('given keys outside ASCII (RFC 8785 section 3.2.3), when canonicalised, then they sort by UTF-16 code units', () => {
    const input = { '€': 'Euro Sign', '\r': 'Carriage Return', 'דּ': 'Hebrew Letter Dalet With Dagesh', '1': 'One',
      '😀': 'Emoji: Grinning Face', '\u0080': 'Control', 'ö': 'Latin Small Letter O With Diaeresis' };
    const keys = Object.keys(JSON.parse(canonicalJson(input)) as object);
    // JSON.parse re-orders the integer-like key first, so compare the serialised order instead.
    const order = ['\r', '1', '\u0080', 'ö', '€', '😀', 'דּ'].map((k) => JSON.stringify(k));
    const text = canonicalJson(input);
    const positions = order.map((k) => text.indexOf(`${k}:`));
    expect(positions).to.deep.equal([...positions].sort((a, b) => a - b));
    expect(keys).to.have.length(7);
  });

  it('given the same object with keys in another order, when canonicalised, then the bytes are the same', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: 'x' })).to.equal(canonicalJson({ a: 'x', b: [1, { c: 2, d: 1 }] }));
  });

  it('given -0 and integers beyond 1e21, when canonicalised, then numbers follow ECMAScript serialisation', () => {
    expect(canonicalJson([-0, 1e21, 1e-7, 100])).to.equal('[0,1e+21,1e-7,100]');
  });

  it('given a member whose value is undefined, when canonicalised, then it is left out as a store would leave it out', () => {
    expect(canonicalJson({ a: 1, b: undefined })).to.equal(canonicalJson(JSON.parse(JSON.stringify({ a: 1, b: undefined }))));
  });

  it('given values JSON cannot carry, when canonicalised, then they are refused', () => {
    expect(() => canonicalJson(Number.NaN)).to.throw();
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).to.throw();
    expect(() => canonicalJson({ n: 1n })).to.throw();
    expect(() => canonicalJson(undefined)).to.throw();
  });

  it('property: key order at any depth never changes the bytes, and the text parses back to the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reordered = JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)));
        expect(canonicalJson(reordered)).to.equal(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).to.deep.equal(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('given strings with CJK, quotes and control characters, when canonicalised, then they are escaped as JSON does', () => {
    expect(canonicalJson(['张三', 'a"b', '\n'])).to.equal('["张三","a\\"b","\\n"]');
  });
});
