import { expect } from 'chai';
import { keyedCommandId } from '../../api/http/index.ts';
import type { Principal } from '../../api/auth/index.ts';

const alice: Principal = { kind: 'citizen', id: '110101199003078515', subjectType: 'person', name: 'A' };
const bob: Principal = { kind: 'citizen', id: '110101198501020011', subjectType: 'person', name: 'B' };

describe('Idempotency-Key scoping', () => {
  it('given one key, then each principal gets its own command id, stable across calls and shaped as a UUID', () => {
    expect(keyedCommandId(alice, 'k-1')).to.equal(keyedCommandId(alice, 'k-1'));
    expect(keyedCommandId(alice, 'k-1')).to.not.equal(keyedCommandId(bob, 'k-1'));
    expect(keyedCommandId(alice, 'k-1')).to.not.equal(keyedCommandId(alice, 'k-2'));
    expect(keyedCommandId(alice, 'k-1')).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
