import { expect } from 'chai';
import { claimsForPrincipal, hasRole, principalFromClaims, toActor, type Principal } from '../../api/auth/index.ts';

const principals: Principal[] = [
  { kind: 'citizen', id: '11010519491231002X', subjectType: 'person' },
  { kind: 'citizen', id: '91350100M000100Y43', subjectType: 'enterprise', name: 'Acme' },
  { kind: 'clerk', id: 'C001', department: 'PSB', roles: ['reviewer'] },
  { kind: 'department', id: 'AMR' },
  { kind: 'auditor', id: 'A1' },
  { kind: 'admin', id: 'root' },
];

describe('principals and claims (api-claims)', () => {
  for (const principal of principals) {
    it(`given a ${principal.kind} principal, when turned into claims and back, then it is unchanged`, () => {
      expect(principalFromClaims({ ...claimsForPrincipal(principal) })).to.deep.equal(principal);
    });
  }

  it('given each principal, when made an actor, then kind and id carry over and clerks keep department and roles', () => {
    expect(principals.map(toActor)).to.deep.equal([
      { kind: 'citizen', id: '11010519491231002X' },
      { kind: 'citizen', id: '91350100M000100Y43' },
      { kind: 'clerk', id: 'C001', department: 'PSB', roles: ['reviewer'] },
      { kind: 'department', id: 'AMR', department: 'AMR' },
      { kind: 'auditor', id: 'A1' },
      { kind: 'admin', id: 'root' },
    ]);
  });

  it('given roles, when checked, then a kind matches any of its principals and clerk:<role> only clerks holding it', () => {
    const clerk = principals[2]!;
    expect(hasRole(clerk, ['clerk'])).to.equal(true);
    expect(hasRole(clerk, ['clerk:reviewer'])).to.equal(true);
    expect(hasRole(clerk, ['clerk:approver'])).to.equal(false);
    expect(hasRole(principals[0]!, ['clerk:reviewer', 'citizen'])).to.equal(true);
    expect(hasRole(principals[4]!, ['admin'])).to.equal(false);
  });

  for (const [claims, reason] of [
    [{ sub: 'x', kind: 'robot' }, /"kind" must be one of/],
    [{ kind: 'admin' }, /no subject/],
    [{ sub: '91350100M000100Y43', kind: 'citizen', subjectType: 'person' }, /citizen ID/],
    [{ sub: '11010519491231002X', kind: 'citizen' }, /"subjectType"/],
    [{ sub: 'C001', kind: 'clerk', department: 'psb' }, /department code/],
    [{ sub: 'C001', kind: 'clerk', department: 'PSB', roles: ['Reviewer'] }, /lowercase role names/],
    [{ sub: 'psb', kind: 'department' }, /department code/],
    [{ sub: 'A 1', kind: 'auditor' }, /staff id/],
  ] as const) {
    it(`given claims ${JSON.stringify(claims)}, when read, then they are refused with a reason`, () => {
      expect(() => principalFromClaims({ ...claims })).to.throw(reason);
    });
  }
});
