import { expect } from 'chai';
import {
  GENESIS_LINK,
  LogVerifier,
  entryHash,
  eventDigest,
  nextLink,
  type StoredEntry,
  type TrustedHead,
} from '../../adapters/event-store/postgres/index.ts';

function chainOf(count: number, first = 1n): StoredEntry[] {
  let link = GENESIS_LINK;
  return Array.from({ length: count }, (_, i) => {
    const content = { type: 'ItemRecorded', data: { i, note: `n${i}` }, metadata: { eventId: `e${i}`, actor: { id: 'clerk-7' } } };
    const position = first + BigInt(i);
    const stream = `s-${i % 2}`;
    const revision = BigInt(Math.floor(i / 2));
    link = nextLink(link, entryHash(position, stream, revision, eventDigest(content)));
    return { ...content, position, stream, revision, link };
  });
}

function verify(entries: StoredEntry[], heads: TrustedHead[] = []) {
  const verifier = new LogVerifier(heads);
  for (const entry of entries) if (!verifier.push(entry)) break;
  return verifier.finish();
}

const headAt = (entries: StoredEntry[], index: number): TrustedHead => ({ position: entries[index]!.position, link: entries[index]!.link.toString('hex') });

describe('event log hash chain (pure verification)', function () {
  it('given an intact chain, when verified, then it is ok and reports its last position and link', function () {
    const entries = chainOf(5);
    expect(verify(entries, [headAt(entries, 2), headAt(entries, 4)])).to.deep.equal({
      ok: true,
      checked: 5,
      last: { position: 5n, link: entries[4]!.link.toString('hex') },
      fault: null,
    });
  });

  it('given an empty log, when verified without heads, then it is ok with nothing checked', function () {
    expect(verify([])).to.deep.equal({ ok: true, checked: 0, last: null, fault: null });
  });

  it('given a chain starting above 1, when verified, then the first row is linked from genesis and passes', function () {
    expect(verify(chainOf(3, 2n ** 53n + 10n)).ok).to.equal(true);
  });

  it('given digests of the same content with keys in another order, then they are equal (canonical JSON)', function () {
    expect(eventDigest({ type: 't', data: { a: 1, b: [1, 2] }, metadata: {} })).to.deep.equal(eventDigest({ metadata: {}, data: { b: [1, 2], a: 1 }, type: 't' } as never));
  });

  it('given a changed data value, when verified, then the fault names that position and nothing after it counts', function () {
    const entries = chainOf(5);
    entries[2] = { ...entries[2]!, data: { i: 2, note: 'n2!' } };
    const verdict = verify(entries);
    expect(verdict.ok).to.equal(false);
    expect(verdict.fault!.position).to.equal(3n);
    expect(verdict.checked).to.equal(2);
  });

  it('given a changed stream, revision or type, when verified, then each is caught at its position', function () {
    for (const change of [{ stream: 's-9' }, { revision: 7n }, { type: 'Other' }]) {
      const entries = chainOf(4);
      entries[1] = { ...entries[1]!, ...change };
      expect(verify(entries).fault?.position, JSON.stringify(change, (_, v) => (typeof v === 'bigint' ? v.toString() : v))).to.equal(2n);
    }
  });

  it('given a missing position, when verified, then the fault names the position that went missing', function () {
    const entries = chainOf(5);
    entries.splice(1, 1);
    expect(verify(entries).fault).to.deep.include({ position: 2n });
  });

  it('given two rows swapped, when verified, then the fault names the first place they were swapped into', function () {
    const entries = chainOf(5);
    const [a, b] = [entries[1]!, entries[3]!];
    entries[1] = { ...b, position: a.position };
    entries[3] = { ...a, position: b.position };
    expect(verify(entries).fault!.position).to.equal(2n);
  });

  it('given a chain re-hashed after a forgery, when verified against an earlier head, then the head position is named', function () {
    const entries = chainOf(5);
    const head = headAt(entries, 3);
    const forged = chainOf(5);
    forged[0] = { ...forged[0]!, data: { i: 0, note: 'forged' } };
    let link = GENESIS_LINK;
    for (const entry of forged) {
      link = nextLink(link, entryHash(entry.position, entry.stream, entry.revision, eventDigest(entry)));
      entry.link = link;
    }
    expect(verify(forged).ok, 'consistent in itself').to.equal(true);
    expect(verify(forged, [head]).fault).to.deep.include({ position: 4n });
  });

  it('given a log cut short of a head, when verified, then the first missing position is named', function () {
    const entries = chainOf(5);
    const verdict = verify(entries.slice(0, 3), [headAt(entries, 4)]);
    expect(verdict.fault!.position).to.equal(4n);
    expect(verdict.fault!.reason).to.match(/events were removed/);
  });

  it('given a log that lost its first rows, when verified against a head among them, then it fails', function () {
    const entries = chainOf(5);
    expect(verify(entries.slice(2), [headAt(entries, 1)]).ok).to.equal(false);
  });

  it('given the same head twice (kept beside the log and exported), when verified, then both count as met', function () {
    const entries = chainOf(4);
    expect(verify(entries, [headAt(entries, 1), headAt(entries, 1)]).ok).to.equal(true);
  });
});
