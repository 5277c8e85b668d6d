import { expect } from 'chai';
import { assertRoutePath, closeObjects, matchesTemplate, pathParamNames, rewriteRefs, toOpenApiPath } from '../../api/openapi/index.ts';
import { jwkThumbprint, parseJwks } from '../../adapters/jose/index.ts';

describe('OpenAPI helpers (api-openapi)', () => {
  it('given an express path, when converted, then parameters become {name} and are listed', () => {
    expect(toOpenApiPath('/cases/:caseId/materials/:name')).to.equal('/cases/{caseId}/materials/{name}');
    expect(pathParamNames('/cases/:caseId/materials/:name')).to.deep.equal(['caseId', 'name']);
  });

  it('given paths with wildcards, optional parts or trailing slashes, when asserted, then they are refused', () => {
    for (const bad of ['/files/*rest', '/a{/:b}', '/cases/', 'cases', '/a/(b)']) expect(() => assertRoutePath(bad)).to.throw();
    expect(() => assertRoutePath('/cases/:caseId/v1.2')).not.to.throw();
  });

  it('given a template, when matched, then one segment fits each parameter and nothing else', () => {
    expect(matchesTemplate('/cases/{caseId}', '/cases/abc')).to.equal(true);
    expect(matchesTemplate('/cases/{caseId}', '/cases/a/b')).to.equal(false);
    expect(matchesTemplate('/cases/{caseId}', '/cases/')).to.equal(false);
  });

  it('given a body schema, when closed, then plain objects refuse unknown properties and composed or explicit ones are left alone', () => {
    const closed = closeObjects({
      type: 'object',
      properties: {
        a: { type: 'object', properties: { b: { type: 'string' } } },
        list: { type: 'array', items: { type: 'object', properties: {} } },
        open: { type: 'object', additionalProperties: true },
        mixed: { type: 'object', allOf: [{ properties: { x: {} } }] },
      },
    });
    expect(closed.additionalProperties).to.equal(false);
    expect(closed).to.have.nested.property('properties.a.additionalProperties', false);
    expect(closed).to.have.nested.property('properties.list.items.additionalProperties', false);
    expect(closed).to.have.nested.property('properties.open.additionalProperties', true);
    expect(closed).not.to.have.nested.property('properties.mixed.additionalProperties');
  });

  it('given component references, when rewritten, then they point at the registered ids', () => {
    expect(rewriteRefs({ items: { $ref: '#/components/schemas/Case' }, other: { $ref: '#/$defs/x' } })).to.deep.equal({
      items: { $ref: 'urn:errand:schema:Case' },
      other: { $ref: '#/$defs/x' },
    });
  });

  it('given the RFC 7638 example key, when thumbprinted, then the published thumbprint results', () => {
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    expect(jwkThumbprint({ kty: 'RSA', n, e: 'AQAB' })).to.equal('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('given a JWKS with private parts, duplicate kids or unsupported curves, when parsed, then it is refused', () => {
    expect(() => parseJwks({ keys: [{ kty: 'EC', crv: 'P-256', kid: 'a', x: 'x', y: 'y', d: 'secret' }] }, 'f')).to.throw(/private key material/);
    expect(() => parseJwks({ keys: [{ kty: 'EC', crv: 'P-384', kid: 'a', x: 'x', y: 'y' }] }, 'f')).to.throw(/EC P-256/);
    expect(() => parseJwks({ nope: [] }, 'f')).to.throw(/JWKS document/);
    expect(() => parseJwks({ keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }] }, 'f')).to.throw(/"kid"/);
  });
});
