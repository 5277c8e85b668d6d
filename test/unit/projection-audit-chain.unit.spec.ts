import { expect } from 'chai';
import { GENESIS_HASH, chain, entryHash, verifyChain } from '../../projections/audit/index.ts';

type Entry = Record<string, unknown> & { seq: number; prevHash: string; hash: string };

interface Content extends Record<string, unknown> {
  id: string;
  eventType: string;
  actor: { kind: string; id: string };
}

function trail(n: number): Entry[] {
  const entries: Entry[] = [];
  for (let i = 0; i < n; i += 1) {
    const content: Content = { id: `e${i + 1}`, eventType: 'CaseAccepted', actor: { kind: 'clerk', id: `c${i}` } };
    entries.push(chain(content, entries.at(-1) ?? null));
  }
  return entries;
}

describe('audit hash chain', () => {
  it('links each entry to the previous hash, starting from the genesis hash', () => {
    const [first, second] = trail(2);
    expect(first).to.include({ seq: 1, prevHash: GENESIS_HASH });
    expect(second).to.include({ seq: 2, prevHash: first!.hash });
    expect(first!.hash).to.match(/^[0-9a-f]{64}$/).and.equal(entryHash(first!));
  });

  it('given an intact trail, verifies every entry and the head', () => {
    const entries = trail(5);
    expect(verifyChain(entries, { head: { seq: 5, hash: entries[4]!.hash } })).to.deep.equal({ ok: true, checked: 5 });
    expect(verifyChain([])).to.deep.equal({ ok: true, checked: 0 });
  });

  it('given a changed field, reports that entry as the first broken link', () => {
    const entries = trail(5);
    entries[2] = { ...entries[2]!, actor: { kind: 'clerk', id: 'someone else' } };
    expect(verifyChain(entries)).to.deep.equal({ ok: false, checked: 2, firstBroken: { seq: 3, id: 'e3', reason: 'hash does not match the entry content' } });
  });

  it('given a changed hash, reports that entry; given a rehashed change, reports the entry after it', () => {
    const replaced = trail(5);
    replaced[1] = { ...replaced[1]!, hash: 'f'.repeat(64) };
    expect(verifyChain(replaced).firstBroken).to.deep.equal({ seq: 2, id: 'e2', reason: 'hash does not match the entry content' });
    const rehashed = trail(5);
    const forged = { ...rehashed[1]!, eventType: 'CaseApproved' };
    rehashed[1] = { ...forged, hash: entryHash(forged) };
    expect(verifyChain(rehashed).firstBroken).to.deep.equal({ seq: 3, id: 'e3', reason: 'prevHash does not match the hash of the previous entry' });
  });

  it('given a deleted entry, reports the gap at the entry after it', () => {
    const entries = trail(5);
    entries.splice(1, 1);
    expect(verifyChain(entries)).to.deep.equal({ ok: false, checked: 1, firstBroken: { seq: 3, id: 'e3', reason: 'entries 2..2 are missing' } });
  });

  it('given entries cut off at the end, only the head tells, and does', () => {
    const entries = trail(5);
    const head = { seq: 5, hash: entries[4]!.hash };
    expect(verifyChain(entries.slice(0, 3))).to.deep.equal({ ok: true, checked: 3 });
    expect(verifyChain(entries.slice(0, 3), { head }).firstBroken).to.deep.equal({ seq: 5, id: 'head', reason: 'entries 4..5 are missing at the end' });
  });

  it('given a renumbered or repeated entry, reports it', () => {
    const entries = trail(3);
    expect(verifyChain([entries[0]!, entries[0]!, entries[1]!]).firstBroken).to.include({ seq: 1, reason: 'seq 1 repeats or goes back (expected 2)' });
  });

  it('verifies a later page given where the previous one ended', () => {
    const entries = trail(6);
    expect(verifyChain(entries.slice(3), { after: { seq: 3, hash: entries[2]!.hash } })).to.deep.equal({ ok: true, checked: 3 });
    expect(verifyChain(entries.slice(3), { after: { seq: 3, hash: entries[1]!.hash } }).ok).to.equal(false);
  });
});
