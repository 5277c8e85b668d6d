import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { newMasterKeyFile, parseMasterKeys, type KeyStore, type KeyWrapper, type MasterKeyFile } from '../../adapters/key-store/index.ts';

export interface KeyStoreHarness {
  /** A store over one fresh database, its keys wrapped by `wrapper`. */
  open(wrapper: KeyWrapper): Promise<KeyStore>;
  /** The raw bytes of every column of the key table, to look for key material in clear. */
  rawTable(): Promise<string>;
  cleanup(): Promise<void>;
}

const wrapperOf = (file: MasterKeyFile) => parseMasterKeys(file, 'test').wrapper;

/** The behaviour every KeyStore adapter must show. Scopes are random per test. */
export function keyStoreContract(name: string, create: () => Promise<KeyStoreHarness>): void {
  describe(`KeyStore contract: ${name}`, () => {
    let harness: KeyStoreHarness;
    let file: MasterKeyFile;
    let store: KeyStore;
    const scope = () => `case-${randomUUID()}`;
    beforeEach(async () => {
      harness = await create();
      file = newMasterKeyFile('m1');
      store = await harness.open(wrapperOf(file));
    });
    afterEach(async () => {
      await store.close();
      await harness.cleanup();
    });

    it('given a new scope, when its key is asked for twice (also at once), then one 32-byte key is made and the same one answered', async () => {
      const s = scope();
      const keys = await Promise.all(Array.from({ length: 5 }, () => store.keyFor(s, 'sr_a')));
      expect(new Set(keys.map((k) => k!.id)).size).to.equal(1);
      expect(keys[0]!.bytes).to.have.length(32);
      const again = await store.keyFor(s, 'sr_a');
      expect(again!.bytes.equals(keys[0]!.bytes)).to.equal(true);
      const opened = (await store.unwrap([again!.id])).get(again!.id)!;
      expect(opened.equals(again!.bytes)).to.equal(true);
      // Cached by readers for long: its own memory, not a view pinning a slab of Node's pool.
      expect(opened.buffer).to.not.equal(Buffer.from('a short-lived value').buffer);
      expect(keys.every((k) => k!.bytes.equals(keys[0]!.bytes))).to.equal(true);
    });

    it('given many new scopes asked for at once, when their keys are made, then each scope gets its own key and asking again answers the same', async () => {
      const scopes = Array.from({ length: 40 }, scope);
      const first = await Promise.all(scopes.map((s, i) => store.keyFor(s, i % 2 === 0 ? 'sr_even' : null)));
      expect(new Set(first.map((k) => k!.id)).size).to.equal(40);
      const again = await Promise.all(scopes.map((s) => store.keyFor(s, null)));
      expect(again.map((k) => k!.id)).to.deep.equal(first.map((k) => k!.id));
      // A case scope's row holds the case's evidence key too: the subject has both.
      expect((await store.keysOfSubject('sr_even')).map((k) => k.scope).sort()).to.deep.equal(scopes.filter((_, i) => i % 2 === 0).flatMap((s) => [s, `${s}#evidence`]).sort());
    });

    it('given a key drafted for a new scope, then it is wrapped for the table but not stored: the scope has no key and the id opens nothing', async () => {
      const s = scope();
      const { key, row } = await store.draft(s, 'sr_d');
      expect(key.bytes).to.have.length(32);
      expect(row).to.include({ keyId: key.id, scope: s, subjectRef: 'sr_d', masterKeyId: 'm1' });
      expect(row.wrapped.includes(key.bytes)).to.equal(false);
      expect(await store.scope(s)).to.equal(null);
      expect((await store.unwrap([key.id])).has(key.id)).to.equal(false);
      // The scope is still free: keyFor makes its own key, not the draft.
      expect((await store.keyFor(s, 'sr_d'))!.id).to.not.equal(key.id);
    });

    it('given keys were made, then the table holds them only wrapped: no data key appears in its raw bytes', async () => {
      const made = await Promise.all([scope(), scope(), scope()].map((s) => store.keyFor(s, null)));
      const raw = await harness.rawTable();
      for (const key of made) {
        expect(raw).to.not.include(key!.bytes.toString('hex'));
        expect(raw).to.not.include(key!.bytes.toString('base64'));
      }
    });

    it('given a subject with keys in two scopes, when shredded, then both read as destroyed, stay destroyed, and a third subject is untouched', async () => {
      const [a, b, other] = [scope(), scope(), scope()];
      const ka = (await store.keyFor(a, 'sr_subject'))!;
      const kb = (await store.keyFor(b, 'sr_subject'))!;
      const ko = (await store.keyFor(other, 'sr_other'))!;
      const listed = await store.keysOfSubject('sr_subject');
      expect(listed.map((k) => k.scope).sort()).to.deep.equal([a, `${a}#evidence`, b, `${b}#evidence`].sort());
      expect(await store.shred(listed.map((k) => k.keyId), '2026-03-02T08:00:00.000Z')).to.deep.equal(listed.map((k) => k.keyId).sort());
      expect(await store.shred([ka.id], '2026-03-03T08:00:00.000Z')).to.deep.equal([]);
      const keys = await store.unwrap([ka.id, kb.id, ko.id, 'k_never']);
      expect(keys.get(ka.id)).to.equal(null);
      expect(keys.get(kb.id)).to.equal(null);
      expect(keys.get(ko.id)!.equals(ko.bytes)).to.equal(true);
      expect(keys.has('k_never')).to.equal(false);
      expect(await store.keyFor(a, 'sr_subject')).to.equal(null);
      expect((await store.scope(a))!.shreddedAt).to.equal('2026-03-02T08:00:00.000Z');
    });

    it('given cases drafted one after another, then their keys were made ahead: drafts wrap nothing themselves, and each row unwraps to its own keys', async () => {
      const inner = wrapperOf(file);
      let wraps = 0;
      const counting: KeyWrapper = { ...inner, wrap: async (bytes, keyId) => ((wraps += 1), inner.wrap(bytes, keyId)) };
      await store.close();
      store = await harness.open(counting);
      // The first case of a process wraps its own keys, and the process starts making spares.
      await store.draft(scope(), 'sr_first');
      // Spares are made in one turn of the event loop, once a timer fires: more than one wrap means they are ready.
      for (const deadline = Date.now() + 60_000; wraps <= 1; ) {
        if (Date.now() > deadline) throw new Error('no keys were made ahead');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const ahead = wraps;
      const drafts = [];
      for (let i = 0; i < 10; i += 1) drafts.push(await store.draft(scope(), `sr_${i}`));
      expect(wraps).to.equal(ahead);
      expect(new Set(drafts.map((d) => d.key.id)).size).to.equal(10);
      for (const { key, evidence, row } of drafts) {
        const opened = await inner.unwrap(row.wrapped, row.masterKeyId, row.keyId);
        expect(opened.equals(Buffer.concat([key.bytes, evidence!.bytes]))).to.equal(true);
        expect(row.keyId).to.equal(key.id);
      }
    });

    it('given keys made ahead, when the wrapper\'s current master key changes in place (a KMS rotating), then the next case\'s keys are wrapped by the new one', async () => {
      const rotated = { ...file, current: 'm2', keys: { ...file.keys, m2: newMasterKeyFile('m2').keys.m2! } };
      const before = wrapperOf({ ...rotated, current: 'm1' });
      const after = wrapperOf(rotated);
      let now = before;
      let wraps = 0;
      const rotating: KeyWrapper = {
        get currentId() {
          return now.currentId;
        },
        wrap: async (bytes, keyId) => ((wraps += 1), now.wrap(bytes, keyId)),
        unwrap: (wrapped, masterKeyId, keyId) => now.unwrap(wrapped, masterKeyId, keyId),
      };
      await store.close();
      store = await harness.open(rotating);
      expect((await store.draft(scope(), null)).row.masterKeyId).to.equal('m1');
      for (const deadline = Date.now() + 60_000; wraps <= 1; ) {
        if (Date.now() > deadline) throw new Error('no keys were made ahead');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      now = after;
      const { key, evidence, row } = await store.draft(scope(), null);
      expect(row.masterKeyId).to.equal('m2');
      expect((await after.unwrap(row.wrapped, 'm2', row.keyId)).equals(Buffer.concat([key.bytes, evidence!.bytes]))).to.equal(true);
    });

    it('given keys made ahead, when a new case is drafted, then the draft answers at once (no promise): a new case seals its first events in the turn that appends them', async () => {
      // A fresh store has none made ahead: the first draft makes its keys now, and starts making more.
      const first = store.draft(scope(), null);
      expect(first).to.be.instanceOf(Promise);
      await first;
      let drafted = store.draft(scope(), 'sr_now');
      for (const deadline = Date.now() + 60_000; drafted instanceof Promise; drafted = store.draft(scope(), 'sr_now')) {
        await drafted;
        if (Date.now() > deadline) throw new Error('no keys were made ahead');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(drafted.row).to.include({ subjectRef: 'sr_now', masterKeyId: 'm1', evidenceKey: true });
      expect(drafted.key.bytes).to.have.length(32);
      // Kept for as long as the case is cached: never a view on the pool that every small Buffer is cut from.
      expect(drafted.key.bytes.buffer).to.not.equal(Buffer.from('a short-lived value').buffer);
      expect((await wrapperOf(file).unwrap(drafted.row.wrapped, 'm1', drafted.row.keyId)).equals(Buffer.concat([drafted.key.bytes, drafted.evidence!.bytes]))).to.equal(true);
    });

    it('given a case scope, then its evidence key lives in the same row: made with it, found by its own scope and id, and listed for its subject', async () => {
      const s = scope();
      const { key, row, evidence } = await store.draft(s, 'sr_pair');
      expect(evidence!.bytes).to.have.length(32);
      expect(evidence!.bytes.equals(key.bytes)).to.equal(false);
      expect(row.evidenceKey).to.equal(true);
      const made = (await store.keyFor(s, 'sr_pair'))!;
      const fetched = (await store.keyFor(`${s}#evidence`, 'sr_pair'))!;
      expect(fetched.id).to.equal(`${made.id}~e`);
      const opened = await store.unwrap([made.id, fetched.id]);
      expect(opened.get(made.id)!.equals(made.bytes)).to.equal(true);
      expect(opened.get(fetched.id)!.equals(fetched.bytes)).to.equal(true);
      expect(await store.scope(`${s}#evidence`)).to.deep.include({ keyId: fetched.id, scope: `${s}#evidence`, subjectRef: 'sr_pair', shreddedAt: null });
      // Asked for first, the evidence scope makes the case's row, and the case's key is then the one beside it.
      const t = scope();
      const first = (await store.keyFor(`${t}#evidence`, null))!;
      expect((await store.keyFor(t, null))!.id).to.equal(first.id.slice(0, -2));
      const raw = await harness.rawTable();
      expect(raw).to.not.include(fetched.bytes.toString('hex'));
    });

    it('given a case whose evidence key is shredded alone, then the evidence reads as destroyed and stays so (rotation too), while the case key still opens', async () => {
      const s = scope();
      const records = (await store.keyFor(s, 'sr_e'))!;
      const evidence = (await store.keyFor(`${s}#evidence`, 'sr_e'))!;
      expect(await store.shred([evidence.id], '2026-03-02T08:00:00.000Z')).to.deep.equal([evidence.id]);
      expect(await store.shred([evidence.id], '2026-03-03T08:00:00.000Z')).to.deep.equal([]);
      let keys = await store.unwrap([records.id, evidence.id]);
      expect(keys.get(records.id)!.equals(records.bytes)).to.equal(true);
      expect(keys.get(evidence.id)).to.equal(null);
      expect(await store.keyFor(`${s}#evidence`, 'sr_e')).to.equal(null);
      expect((await store.scope(`${s}#evidence`))!.shreddedAt).to.equal('2026-03-02T08:00:00.000Z');
      expect((await store.scope(s))!.shreddedAt).to.equal(null);
      const rotated: MasterKeyFile = { ...file, current: 'm2', keys: { ...file.keys, m2: newMasterKeyFile('m2').keys.m2! } };
      await store.close();
      store = await harness.open(wrapperOf(rotated));
      expect(await store.rewrap()).to.equal(1);
      keys = await store.unwrap([records.id, evidence.id]);
      expect(keys.get(records.id)!.equals(records.bytes)).to.equal(true);
      expect(keys.get(evidence.id)).to.equal(null);
      // Shredding the case takes what is left.
      expect(await store.shred([records.id], '2026-03-04T08:00:00.000Z')).to.deep.equal([records.id]);
      expect((await store.unwrap([records.id])).get(records.id)).to.equal(null);
    });

    it('given a re-wrap under way when a case\'s evidence is shredded, then the re-wrap does not bring the evidence key back', async () => {
      const s = scope();
      const records = (await store.keyFor(s, null))!;
      const evidence = (await store.keyFor(`${s}#evidence`, null))!;
      const rotated: MasterKeyFile = { ...file, current: 'm2', keys: { ...file.keys, m2: newMasterKeyFile('m2').keys.m2! } };
      const next = wrapperOf(rotated);
      let reached!: () => void;
      let release!: () => void;
      const atWrap = new Promise<void>((resolve) => (reached = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      // The re-wrap stops after reading and unwrapping the row, before writing it back.
      const paused: KeyWrapper = {
        currentId: next.currentId,
        unwrap: (wrapped, masterKeyId, keyId) => next.unwrap(wrapped, masterKeyId, keyId),
        async wrap(dataKey, keyId) {
          reached();
          await gate;
          return next.wrap(dataKey, keyId);
        },
      };
      const rotating = await harness.open(paused);
      try {
        const rewrapped = rotating.rewrap();
        await atWrap;
        expect(await store.shred([evidence.id], '2026-03-02T08:00:00.000Z')).to.deep.equal([evidence.id]);
        release();
        expect(await rewrapped).to.equal(1);
      } finally {
        await rotating.close();
      }
      // Under the new master key alone: the row was re-wrapped after the shredding, with the records key only.
      await store.close();
      store = await harness.open(wrapperOf({ ...rotated, keys: { m2: rotated.keys.m2! } }));
      const keys = await store.unwrap([records.id, evidence.id]);
      expect(keys.get(records.id)!.equals(records.bytes)).to.equal(true);
      expect(keys.get(evidence.id)).to.equal(null);
      // The row holds one wrapped key (iv, tag and 32 bytes: 60), not the pair the re-wrap had read (92).
      const lengths = [...(await harness.rawTable()).matchAll(/"hex":"([0-9a-f]*)"/g)].map((m) => m[1]!.length / 2);
      expect(lengths).to.deep.equal([60]);
    });

    it('given a case\'s evidence scope asked for before its subject is known, then the case\'s row is tagged by the first request that names it', async () => {
      const s = scope();
      await store.keyFor(`${s}#evidence`, null);
      await store.keyFor(s, 'sr_late');
      expect((await store.keysOfSubject('sr_late')).map((k) => k.scope).sort()).to.deep.equal([s, `${s}#evidence`]);
    });

    it('given an id made from a key that holds no evidence key, then it is unknown, not destroyed', async () => {
      const access = (await store.keyFor(`access-${randomUUID()}`, null))!;
      expect((await store.unwrap([`${access.id}~e`])).has(`${access.id}~e`)).to.equal(false);
    });

    it('given the master key is rotated, when re-wrapped, then every live key opens under the new master key alone and the destroyed ones stay destroyed', async () => {
      const live = (await store.keyFor(scope(), null))!;
      const dead = (await store.keyFor(scope(), null))!;
      await store.shred([dead.id], '2026-03-02T08:00:00.000Z');
      const rotated: MasterKeyFile = { ...file, current: 'm2', keys: { ...file.keys, m2: newMasterKeyFile('m2').keys.m2! } };
      await store.close();
      store = await harness.open(wrapperOf(rotated));
      expect(await store.rewrap()).to.equal(1);
      expect(await store.rewrap()).to.equal(0);
      await store.close();
      store = await harness.open(wrapperOf({ ...rotated, keys: { m2: rotated.keys.m2! } }));
      const keys = await store.unwrap([live.id, dead.id]);
      expect(keys.get(live.id)!.equals(live.bytes)).to.equal(true);
      expect(keys.get(dead.id)).to.equal(null);
    });

    it('given the wrong master key, when a key is unwrapped, then it throws rather than answering any bytes', async () => {
      const key = (await store.keyFor(scope(), null))!;
      await store.close();
      store = await harness.open(wrapperOf({ ...newMasterKeyFile('m1') }));
      let error: unknown = null;
      await store.unwrap([key.id]).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(Error);
    });
  });
}
