import { expect } from 'chai';
import { markRead, NOTIFICATION_INBOX, readInbox, type Reader } from '../../adapters/notifications/index.ts';
import { createMemoryReadStore, type ReadStore } from '../../adapters/read-store/index.ts';
import { ANY_ROLE, notificationId, recipientKey, type Notification, type NotificationKind, type Recipient } from '../../domain/notifications/index.ts';

const SERVICE = { 'zh-CN': '居住登记', en: 'Residence registration' };
const at = new Date('2026-03-18T04:00:00Z');

async function given(store: ReadStore, items: Array<{ event: string; kind: NotificationKind; to: Recipient; createdAt: string }>): Promise<string[]> {
  const docs = items.map(({ event, kind, to, createdAt }) => {
    const key = recipientKey(to);
    const n: Notification = { id: notificationId(event, kind, key), kind, to: key, audience: to.kind === 'citizen' ? 'citizen' : 'clerk', caseId: `case-${event}`, facts: { service: SERVICE, receiptNo: 'R-1', dueOn: '2026-03-17', level: 'red', limit: 'promised' }, eventId: event, createdAt };
    return { id: n.id, doc: { ...n, position: 0 } as unknown as Record<string, unknown> };
  });
  await store.transaction(async (tx) => tx.putMany(NOTIFICATION_INBOX, docs));
  return docs.map((d) => d.id);
}

describe('Inbox: who sees what, and read marks per reader', () => {
  let store: ReadStore;
  const alice: Reader = { kind: 'clerk', id: 'C001', department: 'PSB', roles: ['intake'] };
  const bob: Reader = { kind: 'clerk', id: 'C002', department: 'PSB', roles: ['intake', 'approver'] };
  const carol: Reader = { kind: 'clerk', id: 'C003', department: 'AMR', roles: ['approver'] };
  const citizen: Reader = { kind: 'citizen', id: 'C001' };
  let ids: string[];

  beforeEach(async () => {
    store = createMemoryReadStore();
    ids = await given(store, [
      { event: 'e1', kind: 'deadlineOverdue', to: { kind: 'group', department: 'PSB', role: ANY_ROLE }, createdAt: '2026-03-18T01:00:00.000Z' },
      { event: 'e2', kind: 'deadlineOverdue', to: { kind: 'group', department: 'PSB', role: 'approver' }, createdAt: '2026-03-18T02:00:00.000Z' },
      { event: 'e3', kind: 'deadlineWarning', to: { kind: 'clerk', id: 'C001' }, createdAt: '2026-03-18T03:00:00.000Z' },
      { event: 'e4', kind: 'accepted', to: { kind: 'citizen', id: 'C001' }, createdAt: '2026-03-18T04:00:00.000Z' },
    ]);
  });

  const kinds = async (reader: Reader) => (await readInbox(store, reader, { language: 'en', limit: 20, offset: 0 })).items.map((i) => `${i.kind}:${i.caseId}`);

  it('given cards for the department, its approvers and one clerk, then each reader sees exactly theirs, newest first', async () => {
    expect(await kinds(alice)).to.deep.equal(['deadlineWarning:case-e3', 'deadlineOverdue:case-e1']);
    expect(await kinds(bob)).to.deep.equal(['deadlineOverdue:case-e2', 'deadlineOverdue:case-e1']);
    expect(await kinds(carol)).to.deep.equal([]);
    // A citizen whose id happens to equal a staff id sees only what was addressed to the citizen.
    expect(await kinds(citizen)).to.deep.equal(['accepted:case-e4']);
  });

  it('given one clerk marks a department card read, then it is read for them only, and their count drops by one', async () => {
    expect(await markRead(store, alice, ids[0]!, at)).to.equal(true);
    expect(await markRead(store, alice, ids[0]!, at)).to.equal(true);
    const a = await readInbox(store, alice, { language: 'en', limit: 20, offset: 0 });
    const b = await readInbox(store, bob, { language: 'en', limit: 20, offset: 0 });
    expect(a).to.include({ total: 2, unread: 1 });
    expect(b).to.include({ total: 2, unread: 2 });
    expect(b.items.every((i) => !i.read)).to.equal(true);
  });

  it('given a notification addressed to someone else, when a reader marks it, then refused and nothing is recorded', async () => {
    expect(await markRead(store, carol, ids[0]!, at)).to.equal(false);
    expect(await markRead(store, alice, ids[1]!, at)).to.equal(false);
    expect(await markRead(store, citizen, ids[2]!, at)).to.equal(false);
    expect(await markRead(store, alice, '00000000-0000-0000-0000-000000000000', at)).to.equal(false);
    expect(await readInbox(store, alice, { language: 'en', limit: 20, offset: 0 })).to.include({ unread: 2 });
  });

  it('given a page smaller than the inbox, then the unread count still counts the whole inbox', async () => {
    const page = await readInbox(store, bob, { language: 'zh-CN', limit: 1, offset: 0 });
    expect(page.items).to.have.length(1);
    expect(page).to.include({ total: 2, unread: 2 });
    expect(page.items[0]!.title).to.include('【红牌】');
  });
});
