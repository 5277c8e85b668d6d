import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { scopeOf } from '../../adapters/privacy/sealing-event-store.ts';
import { expect } from 'chai';
import type { NewEvent } from '../../domain/events/index.ts';
import { ERASED, catalogueMarks, getAt, personalPaths, setAll, type PersonalDataMarks } from '../../domain/privacy/personal-data.ts';
import { openEvent, sealEvent, sealedKeyId, sealedOf } from '../../adapters/privacy/envelope.ts';
import { subjectRef } from '../../adapters/privacy/subject-ref.ts';

const CITIZEN = '110101199003074477';

function event(type: string, data: Record<string, unknown>, actor: { kind: 'citizen' | 'clerk' | 'system'; id: string } = { kind: 'citizen', id: CITIZEN }): NewEvent {
  return {
    type,
    data,
    metadata: { eventId: randomUUID(), schemaVersion: 1, occurredAt: '2026-03-02T08:00:00Z', correlationId: 'c', causationId: null, actor, commandId: 'cmd' },
  };
}

const marks: PersonalDataMarks = catalogueMarks({
  formField: (service, name) => (service.serviceId === 'residence-permit' ? { personal: name !== 'residenceReason' } : undefined),
  dataField: (item, name) => (item === 'household-registration' ? { personal: name !== 'registrationRegion' } : undefined),
});

const drafted = () =>
  event('ApplicationDrafted', {
    caseId: 'c1', serviceId: 'residence-permit', serviceVersion: 1, applicant: { type: 'person', id: CITIZEN },
    form: { residenceAddress: '上海市徐汇区漕溪北路88号', residenceReason: 'employment', phone: '13800138000' }, bundleId: null,
  });

const key = () => ({ id: `k-${randomUUID()}`, bytes: randomBytes(32) });

describe('privacy: which values are personal', () => {
  it('given a draft, when its personal paths are listed, then the citizen actor, the applicant id and the marked form answers are, the unmarked answer is not', () => {
    expect(personalPaths(drafted(), marks, null)).to.deep.equal([
      ['metadata', 'actor', 'id'], ['data', 'applicant', 'id'], ['data', 'form', 'phone'], ['data', 'form', 'residenceAddress'],
    ]);
  });

  it('given a form field of a service the marks do not know, then it is personal (privacy by default)', () => {
    const update = event('DraftUpdated', { form: { residenceReason: 'study', other: 'x' } });
    expect(personalPaths(update, marks, null)).to.deep.include.members([['data', 'form', 'residenceReason'], ['data', 'form', 'other']]);
    expect(personalPaths(update, marks, { serviceId: 'residence-permit', serviceVersion: 1 })).to.deep.equal([['metadata', 'actor', 'id'], ['data', 'form', 'other']]);
  });

  it('given fetched evidence, then only fields the data catalogue marks personal (or does not know) are sealed', () => {
    const received = event('EvidenceReceived', { materialId: 'm', dataItem: 'household-registration', provider: 'PSB', fields: { name: '张三', registrationRegion: '310104', citizenId: CITIZEN } }, { kind: 'system', id: 'errand' });
    expect(personalPaths(received, marks, null)).to.deep.equal([['data', 'fields', 'citizenId'], ['data', 'fields', 'name']]);
  });

  it('given 秒批 withheld on a condition over a personal evidence field, then each reason (it quotes the value the rule read) is personal', () => {
    const withheld = event('InstantApprovalWithheld', {
      kind: 'conditions_not_met',
      reasons: ['social-insurance.monthsContributed must be at least 1, got 0', 'social-insurance.insuredStatus must be one of "active", got "lapsed"'],
      withheldOn: '2026-03-02',
    }, { kind: 'system', id: 'platform' });
    expect(personalPaths(withheld, marks, null)).to.deep.equal([['data', 'reasons', 0], ['data', 'reasons', 1]]);
  });

  it('given evidence with quality issues, then each issue is personal (an expiry issue quotes the date the source returned)', () => {
    const received = event('EvidenceReceived', {
      materialId: 'id-card', dataItem: 'nonexistent-item', provider: 'PSB', fields: {}, contentHash: 'h', retrievedAt: '2026-03-02T04:00:00Z', trustLevel: 'A',
      qualityIssues: ['validUntil expired on 2025-06-30', 'photo is required but empty'],
    }, { kind: 'system', id: 'platform' });
    expect(personalPaths(received, marks, null)).to.deep.equal([['data', 'qualityIssues', 0], ['data', 'qualityIssues', 1]]);
  });

  it('given free text, file names, certificate holders and conflicting values, then each is personal; a clerk actor is not', () => {
    const clerk = { kind: 'clerk' as const, id: 'C001' };
    expect(personalPaths(event('CaseNotAccepted', { reason: '材料不全', decidedOn: '2026-03-02' }, clerk), marks, null)).to.deep.equal([['data', 'reason']]);
    // Free text staff type stays sealed too, so it goes with the case: reasons of a decision, an answer to a
    // complaint, a refund's and a revocation's reason.
    expect(personalPaths(event('CaseDenied', { decidedOn: '2026-03-02', reasons: ['申请人张三未提供租赁合同', 'x'] }, clerk), marks, null)).to.deep.equal([['data', 'reasons', 0], ['data', 'reasons', 1]]);
    expect(personalPaths(event('CaseApproved', { decidedOn: '2026-03-02', by: 'clerk', reasons: ['ok'] }, clerk), marks, null)).to.deep.equal([['data', 'reasons', 0]]);
    expect(personalPaths(event('ComplaintAnswered', { department: 'PSB', response: '已联系张三', respondedOn: '2026-03-02' }, clerk), marks, null)).to.deep.equal([['data', 'response']]);
    expect(personalPaths(event('PaymentRefunded', { refundId: 'r', amount: 1, reason: '张三多付' }, clerk), marks, null)).to.deep.equal([['data', 'reason']]);
    expect(personalPaths(event('CertificateRevoked', { certificateNo: 'N', caseId: 'c', reason: '持证人张三已迁出', revokedOn: '2026-03-02' }, clerk), marks, null)).to.deep.equal([['data', 'reason']]);
    // On the certificate's stream, but under its case's key: shredding the case erases the reason too.
    expect(scopeOf('certificate-RES-2026-0001', { type: 'CertificateRevoked', data: { certificateNo: 'RES-2026-0001', caseId: 'c1', reason: 'r' } })).to.equal('case-c1');
    expect(personalPaths(event('MaterialUploaded', { materialId: 'photo', fileName: '张三.jpg', mediaType: 'image/jpeg', size: 1, sha256: 'a' }), marks, null)).to.deep.include(['data', 'fileName']);
    expect(personalPaths(event('CertificateIssued', { certificateNo: 'N', holder: { type: 'person', id: CITIZEN } }, clerk), marks, null)).to.deep.equal([['data', 'holder', 'id']]);
    expect(personalPaths(event('SupplementRequested', { items: [{ materialId: 'a', note: 'n' }, { materialId: 'b', note: 'm' }] }, clerk), marks, null)).to.deep.equal([['data', 'items', 0, 'note'], ['data', 'items', 1, 'note']]);
    expect(personalPaths(event('EvidenceConflictFlagged', { materialId: 'm', conflicts: [{ field: 'status', values: [{ source: 'AMR', value: 'x' }, { source: 'BASE', value: 'y' }] }] }, clerk), marks, null)).to.have.length(2);
    expect(personalPaths(event('CaseAccepted', { acceptedOn: '2026-03-02', receiptNo: 'R1' }, clerk), marks, null)).to.deep.equal([]);
  });
});

describe('privacy: putting values at paths (setAll)', () => {
  it('given several paths through one object, when values are set, then the copy has them all, the original is unchanged, and untouched branches are shared', () => {
    const original = { data: { form: { a: 1, b: 2 }, items: [{ note: 'x' }, { note: 'y' }], other: { keep: true } }, metadata: { actor: { id: 'p' } } };
    const before = structuredClone(original);
    const copy = setAll(original, [['data', 'form', 'a'], ['data', 'form', 'b'], ['data', 'items', 1, 'note'], ['metadata', 'actor', 'id']], (i) => `v${i}`);
    expect(copy).to.deep.equal({ data: { form: { a: 'v0', b: 'v1' }, items: [{ note: 'x' }, { note: 'v2' }], other: { keep: true } }, metadata: { actor: { id: 'v3' } } });
    expect(original).to.deep.equal(before);
    expect(Array.isArray(copy.data.items)).to.equal(true);
    expect(copy.data.other).to.equal(original.data.other);
    expect(copy.data.items[0]).to.equal(original.data.items[0]);
    expect(copy.data.form).to.not.equal(original.data.form);
  });

  it('given no paths, then the very same object is answered', () => {
    const original = { data: {} };
    expect(setAll(original, [], () => 1)).to.equal(original);
  });
});

describe('privacy: the crypto envelope (XChaCha20-Poly1305; AES-256-GCM as first stored)', () => {
  it('given a draft sealed under a subject key, when stored, then no personal value is in its JSON, the key id is, and the non-personal answer stays readable', () => {
    const k = key();
    const sealed = sealEvent('case-c1', drafted(), personalPaths(drafted(), marks, null), k);
    const text = JSON.stringify(sealed);
    for (const value of [CITIZEN, '13800138000', '漕溪北路', '上海市']) expect(text).to.not.include(value);
    expect(sealedOf(sealed)!.kid).to.equal(k.id);
    expect((sealed.metadata as unknown as { sealed: string }).sealed.startsWith(`XC20P.${k.id}.`)).to.equal(true);
    const values = sealedOf(sealed)!;
    if (values.alg !== 'XC20P') throw new Error('sealed in an older form');
    // nonce (24 bytes) ‖ ciphertext (as long as the values' JSON) ‖ tag (16 bytes)
    const plainBytes = Buffer.byteLength(JSON.stringify(personalPaths(drafted(), marks, null).map((path) => getAt(drafted(), path))), 'utf8');
    expect(Buffer.from(values.bytes, 'base64url')).to.have.length(24 + plainBytes + 16);
    expect(sealed.metadata.actor.id).to.equal(k.id);
    expect((sealed.data.form as Record<string, unknown>).residenceReason).to.equal('employment');
  });

  it('given a sealed event and its key, when opened, then it is exactly the event before sealing', () => {
    const k = key();
    const original = drafted();
    const opened = openEvent('case-c1', sealEvent('case-c1', original, personalPaths(original, marks, null), k), k.bytes);
    expect(opened).to.deep.equal(original);
  });

  it('given an event the reader owns, when opened in place, then it equals the copying open, erased or not', () => {
    const k = key();
    const original = drafted();
    const paths = personalPaths(original, marks, null);
    const stored = JSON.stringify(sealEvent('case-c1', original, paths, k));
    expect(openEvent('case-c1', JSON.parse(stored) as NewEvent, k.bytes, true)).to.deep.equal(original);
    expect(openEvent('case-c1', JSON.parse(stored) as NewEvent, null, true)).to.deep.equal(openEvent('case-c1', JSON.parse(stored) as NewEvent, null));
  });

  it('given the key was destroyed, when opened, then every personal value reads "erased" and everything else is intact', () => {
    const k = key();
    const opened = openEvent('case-c1', sealEvent('case-c1', drafted(), personalPaths(drafted(), marks, null), k), null);
    expect(opened.metadata.actor.id).to.equal(ERASED);
    expect(opened.data.applicant).to.deep.equal({ type: 'person', id: ERASED });
    expect(opened.data.form).to.deep.equal({ residenceAddress: ERASED, residenceReason: 'employment', phone: ERASED });
    expect(opened.data.caseId).to.equal('c1');
  });

  it('given sealing twice, then the ciphertexts differ (a fresh IV each time)', () => {
    const k = key();
    const e = drafted();
    const paths = personalPaths(e, marks, null);
    const nonceOf = (sealed: NewEvent) => {
      const values = sealedOf(sealed)!;
      if (values.alg !== 'XC20P') throw new Error('sealed in an older form');
      return Buffer.from(values.bytes, 'base64url').subarray(0, 24);
    };
    const [a, b] = [sealEvent('s', e, paths, k), sealEvent('s', e, paths, k)];
    expect(nonceOf(a).equals(nonceOf(b))).to.equal(false);
    expect((a.metadata as unknown as { sealed: string }).sealed).to.not.equal((b.metadata as unknown as { sealed: string }).sealed);
  });

  it('given a ciphertext moved to another stream, a flipped byte or the wrong key, when opened, then it throws instead of reading anything', () => {
    const k = key();
    const sealed = sealEvent('case-c1', drafted(), personalPaths(drafted(), marks, null), k);
    expect(() => openEvent('case-c2', sealed, k.bytes)).to.throw();
    expect(() => openEvent('case-c1', sealed, randomBytes(32))).to.throw();
    const stored = (sealed.metadata as unknown as { sealed: string }).sealed;
    const [alg, kid, bytes, ...paths] = stored.split('.');
    const withSealed = (value: string) => ({ ...sealed, metadata: { ...sealed.metadata, sealed: value } });
    // One bit of the nonce, of the ciphertext, of the tag.
    for (const at of [14, 30, Buffer.from(bytes!, 'base64url').length - 1]) {
      const flipped = Buffer.from(bytes!, 'base64url');
      flipped[at] = flipped[at]! ^ 1;
      expect(() => openEvent('case-c1', withSealed([alg, kid, flipped.toString('base64url'), ...paths].join('.')), k.bytes)).to.throw();
    }
    // The paths are bound too: pointing a value at another field does not open.
    expect(stored).to.include('data/form/phone');
    expect(() => openEvent('case-c1', withSealed(stored.replace('data/form/phone', 'data/form/residenceReason')), k.bytes)).to.throw();
    expect(() => openEvent('case-c1', withSealed(`${alg}.${kid}.${bytes!.slice(0, 20)}`), k.bytes)).to.throw(/cut short/);
    expect(() => sealedKeyId(withSealed(`${alg}.${kid}`))).to.throw(/cut short/);
    // A form this release does not know is not read as "nothing sealed" (every value would stay null).
    for (const unknown of [`XC21P.${kid}.${bytes}.data/form/phone`, ` ${stored}`, 'XC20P', 7, { v: 2, kid }]) {
      expect(() => openEvent('case-c1', withSealed(unknown as string), k.bytes)).to.throw(/form this release does not know/);
    }
    const idNotText = { ...sealed, metadata: { ...sealed.metadata, eventId: [sealed.metadata.eventId] as unknown as string } };
    expect(() => openEvent('case-c1', idNotText, k.bytes)).to.throw(/not text/);
  });

  it('given the bound fields split differently (stream "case-c" and event id "1…" against stream "case-c1" and event id "…"), when opened, then it throws', () => {
    const k = key();
    const original = drafted();
    const sealed = sealEvent('case-c1', original, personalPaths(original, marks, null), k);
    expect(openEvent('case-c1', sealed, k.bytes)).to.deep.equal(original);
    const shifted = { ...sealed, metadata: { ...sealed.metadata, eventId: `1${sealed.metadata.eventId}` } };
    expect(() => openEvent('case-c', shifted, k.bytes)).to.throw();
  });

  it('given a stored row whose paths lead into a prototype, when opened with its key destroyed, then it throws and nothing is polluted', () => {
    const k = key();
    const sealed = sealEvent('case-c1', drafted(), personalPaths(drafted(), marks, null), k);
    const stored = (sealed.metadata as unknown as { sealed: string }).sealed;
    const forged = { ...sealed, metadata: { ...sealed.metadata, sealed: stored.slice(0, stored.lastIndexOf('.') + 1) + '__proto__/polluted' } };
    expect(() => openEvent('case-c1', forged, null, true)).to.throw(/path/);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('given form fields whose names hold the separators, dots, percent signs and CJK, when sealed and opened, then every value goes back to its own field', () => {
    const k = key();
    const original = event('ApplicationDrafted', {
      caseId: 'c1', serviceId: 'unknown-service', serviceVersion: 1, applicant: { type: 'person', id: CITIZEN },
      form: { 'a,b': '1', 'c/d': '2', 'e.f': '3', '50%': '4', 住址: '上海市', '': 'empty name' }, bundleId: null,
    });
    const sealed = sealEvent('case-c1', original, personalPaths(original, marks, null), k);
    expect(JSON.stringify(sealed.data.form)).to.not.include('上海市');
    expect(openEvent('case-c1', sealed, k.bytes)).to.deep.equal(original);
    expect(openEvent('case-c1', JSON.parse(JSON.stringify(sealed)), k.bytes, true)).to.deep.equal(original);
  });

  it('given an event sealed in the first stored form (an object of base64 fields), when opened, then it reads exactly as before, and a wrong stream still throws', () => {
    const k = key();
    const original = drafted();
    const paths = personalPaths(original, marks, null) as Array<Array<string | number>>;
    // Built here by hand with node:crypto, as the first release stored it.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', k.bytes, iv);
    cipher.setAAD(Buffer.from(JSON.stringify(['case-c1', original.metadata.eventId, original.type, k.id, paths]), 'utf8'));
    const ct = Buffer.concat([cipher.update(JSON.stringify(paths.map((path) => getAt(original, path))), 'utf8'), cipher.final()]);
    const v1 = { v: 1, alg: 'A256GCM', kid: k.id, iv: iv.toString('base64url'), ct: ct.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), paths };
    const stored = setAll(original, [...paths, ['metadata', 'sealed']], (i) => (i === paths.length ? v1 : i === 0 ? k.id : null));
    expect(sealedKeyId(stored)).to.equal(k.id);
    expect(openEvent('case-c1', stored, k.bytes)).to.deep.equal(original);
    expect(openEvent('case-c1', stored, null).data.applicant).to.deep.equal({ type: 'person', id: ERASED });
    expect(() => openEvent('case-c2', stored, k.bytes)).to.throw();
  });

  it('given an event sealed in the string form of AES-256-GCM (releases before XChaCha20-Poly1305), when opened, then it reads exactly as before; a wrong stream or a flipped tag still throws', () => {
    const k = key();
    const original = drafted();
    const paths = personalPaths(original, marks, null) as Array<Array<string | number>>;
    // Built here by hand with node:crypto, as those releases stored it.
    const pathsText = paths.map((path) => path.map((step) => encodeURIComponent(step)).join('/')).join(',');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', k.bytes, iv);
    const q = JSON.stringify;
    cipher.setAAD(Buffer.from(`[${q('case-c1')},${q(original.metadata.eventId)},${q(original.type)},${q(k.id)},${q(pathsText)}]`, 'utf8'));
    const ct = Buffer.concat([cipher.update(JSON.stringify(paths.map((path) => getAt(original, path))), 'utf8'), cipher.final()]);
    const bytes = Buffer.concat([iv, ct, cipher.getAuthTag()]);
    const stored = setAll(original, [...paths, ['metadata', 'sealed']], (i) => (i === paths.length ? `A256GCM.${k.id}.${bytes.toString('base64url')}.${pathsText}` : i === 0 ? k.id : null));
    expect(sealedKeyId(stored)).to.equal(k.id);
    expect(openEvent('case-c1', stored, k.bytes)).to.deep.equal(original);
    expect(openEvent('case-c1', JSON.parse(JSON.stringify(stored)) as NewEvent, k.bytes, true)).to.deep.equal(original);
    expect(openEvent('case-c1', stored, null).data.applicant).to.deep.equal({ type: 'person', id: ERASED });
    expect(() => openEvent('case-c2', stored, k.bytes)).to.throw();
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    const flipped = setAll(stored, [['metadata', 'sealed']], () => `A256GCM.${k.id}.${bytes.toString('base64url')}.${pathsText}`);
    expect(() => openEvent('case-c1', flipped, k.bytes)).to.throw();
  });

  it('given an event with no personal values, when sealed, then it is returned unchanged and opens as itself', () => {
    const e = event('CaseAccepted', { acceptedOn: '2026-03-02' }, { kind: 'clerk', id: 'C001' });
    expect(sealEvent('s', e, [], key())).to.equal(e);
    expect(openEvent('s', e, null)).to.equal(e);
  });
});

describe('privacy: the keyed hash for look-ups by ID number', () => {
  it('given one ID number, then the ref is stable under one secret, differs under another, and never contains the number', () => {
    const secret = randomBytes(32);
    const a = subjectRef(secret, { type: 'person', id: CITIZEN });
    expect(subjectRef(secret, { type: 'person', id: CITIZEN })).to.equal(a);
    expect(subjectRef(randomBytes(32), { type: 'person', id: CITIZEN })).to.not.equal(a);
    expect(subjectRef(secret, { type: 'enterprise', id: CITIZEN })).to.not.equal(a);
    expect(a).to.not.include(CITIZEN);
    expect(a).to.match(/^sr_[A-Za-z0-9_-]{43}$/);
  });
});
