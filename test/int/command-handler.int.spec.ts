import { expect } from 'chai';
import { type EventStore } from '../../adapters/event-store/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { loadServiceCatalogue } from '../../adapters/files/index.ts';
import { CaseExistsError, CaseNotFoundError, ForbiddenCommandError, InvalidCommandError, WrongStateError } from '../../domain/case/errors.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import { WrongExpectedVersionError } from '../../domain/events/index.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { createCommandHandler, type CommandHandler } from '../../workflows/index.ts';
import { APPLICANT, OTHER_CITIZEN, citizen, clerk, environmentFor } from '../support/case-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

const FORM = { residenceAddress: '深圳市南山区1号', residenceSince: '2025-01-01', residenceReason: '就业', phone: '13800000000' };
const CASE = '7d3a5c1e-0000-4000-8000-00000000c0de';

describe('command handling on real PostgreSQL', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let store: EventStore;
  let handler: CommandHandler;
  /** A second process's handler on the same store: commands for one case take turns within a process, not across. */
  let otherProcess: CommandHandler;
  let appends = 0;
  /**
   * When set, the next N appends wait for each other, so racing commands have both decided on the same revision
   * (one on a fold it holds, one on what it read) before either writes.
   */
  let barrier: { waiting: number; release: () => void; released: Promise<void> } | null = null;

  before(async () => {
    db = await createTestDatabase('commands');
    store = await createPostgresEventStore({ connectionString: db.url });
    const services = loadServiceCatalogue();
    const counted: EventStore = {
      ...store,
      append: async (...args) => {
        appends++;
        if (barrier) {
          const gate = barrier;
          if (--gate.waiting === 0) {
            barrier = null;
            gate.release();
          }
          await gate.released;
        }
        return store.append(...args);
      },
    };
    handler = createCommandHandler({ events: counted, services, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor });
    otherProcess = createCommandHandler({ events: counted, services, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor });
  });
  after(async () => {
    await store.close();
    await db.drop();
  });

  const draft: CaseCommand = { type: 'DraftApplication', commandId: 'draft-1', caseId: CASE, actor: citizen(), serviceId: 'residence-permit', form: FORM };
  const length = async () => (await store.readStream(`case-${CASE}`)).length;

  it('given a command handled once, when its command id comes again, then nothing is written and the first result is returned', async () => {
    const first = await handler.handle(draft);
    const again = await handler.handle(draft);
    expect(first).to.include({ replayed: false, status: 'draft' });
    expect(again).to.include({ replayed: true, status: 'draft' });
    expect(again.revision).to.equal(first.revision);
    expect(await length()).to.equal(1);
  });

  it('given two uploads racing on the same case from two processes, then both land: the loser decides again against the new revision', async () => {
    const upload = (materialId: string, n: number): CaseCommand => ({
      type: 'UploadMaterial', commandId: `up-${n}`, caseId: CASE, actor: citizen(), materialId, fileName: `${materialId}.pdf`,
      mediaType: materialId === 'photo' ? 'image/jpeg' : 'application/pdf', size: 10, sha256: String(n).repeat(64).slice(0, 64).replace(/[^a-f0-9]/g, 'a'),
    });
    const before = appends;
    let release = () => {};
    barrier = { waiting: 2, release: () => release(), released: new Promise<void>((resolve) => (release = resolve)) };
    const results = await Promise.all([handler.handle(upload('photo', 1)), otherProcess.handle(upload('rental-contract', 2))]);
    expect(results.map((r) => r.replayed)).to.deep.equal([false, false]);
    expect(results.map((r) => r.revision).sort()).to.deep.equal([1n, 2n]);
    const events = await store.readStream(`case-${CASE}`);
    expect(events.map((e) => e.type)).to.deep.equal(['ApplicationDrafted', 'MaterialUploaded', 'MaterialUploaded']);
    // Both decided on revision 0; one append lost the race, read again and appended after the winner.
    expect(appends - before).to.equal(3);
  });

  it('given If-Match with an old revision, then the command is refused as stale and nothing is written', async () => {
    const before = await length();
    let error: unknown;
    try {
      await handler.handle({ type: 'SubmitApplication', commandId: 'submit-stale', caseId: CASE, actor: citizen() }, { expectedRevision: 0n });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(WrongExpectedVersionError);
    expect((error as WrongExpectedVersionError).actual).to.equal(2n);
    expect(await length()).to.equal(before);
  });

  it('given refusals of every kind, then each is a typed domain error and nothing is written', async () => {
    const before = await length();
    const refusals: Array<[CaseCommand, new (...args: never[]) => Error]> = [
      [{ type: 'ProvideSupplement', commandId: 'x1', caseId: CASE, actor: citizen(APPLICANT) }, WrongStateError],
      // The case is a draft, its applicant's alone: the department's clerk is refused as a stranger (a 404 over HTTP).
      [{ type: 'AcceptCase', commandId: 'x5', caseId: CASE, actor: clerk('PSB') }, ForbiddenCommandError],
      [{ type: 'WithdrawApplication', commandId: 'x2', caseId: CASE, actor: citizen(OTHER_CITIZEN) }, ForbiddenCommandError],
      [{ type: 'UpdateDraft', commandId: 'x3', caseId: CASE, actor: citizen(APPLICANT), form: { colour: 'red' } }, InvalidCommandError],
      [{ type: 'SubmitApplication', commandId: 'x4', caseId: '00000000-0000-4000-8000-000000000000', actor: citizen() }, CaseNotFoundError],
    ];
    for (const [command, type] of refusals) {
      let error: unknown;
      try {
        await handler.handle(command);
      } catch (caught) {
        error = caught;
      }
      expect(error, command.type).to.be.instanceOf(type);
    }
    expect(await length()).to.equal(before);
  });

  it('given two processes handling the same case, then each sees the other\'s events though each keeps a cached fold', async () => {
    const services = loadServiceCatalogue();
    const reads: Array<bigint | undefined> = [];
    const watched: EventStore = { ...store, readStream: (stream, options) => (reads.push(options?.fromRevision), store.readStream(stream, options)) };
    const processA = createCommandHandler({ events: watched, services, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor });
    const processB = createCommandHandler({ events: store, services, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor });
    const caseId = '7d3a5c1e-0000-4000-8000-00000000beef';
    await processA.handle({ ...draft, commandId: 'two-draft', caseId });
    // A holds the case and nothing was written since: it decides on its fold without reading.
    await processA.handle({ type: 'UploadMaterial', commandId: 'two-contract', caseId, actor: citizen(), materialId: 'rental-contract', fileName: 'c.pdf', mediaType: 'application/pdf', size: 1, sha256: 'c'.repeat(64) });
    expect(reads).to.deep.equal([undefined]);
    await processB.handle({ type: 'UploadMaterial', commandId: 'two-photo', caseId, actor: citizen(), materialId: 'photo', fileName: 'p.jpg', mediaType: 'image/jpeg', size: 1, sha256: 'b'.repeat(64) });
    const submitted = await processA.handle({ type: 'SubmitApplication', commandId: 'two-submit', caseId, actor: citizen() });
    expect(submitted.revision).to.equal(3n);
    expect(submitted.state.context.materials.photo!.status).to.equal('uploaded');
    // A's fold was behind B's upload: the store refused the append at A's revision, and A read only what came
    // after its fold (B's upload) and decided again.
    expect(reads).to.deep.equal([undefined, 2n]);
    const replay = await processA.handle({ type: 'UploadMaterial', commandId: 'two-photo', caseId, actor: citizen(), materialId: 'photo', fileName: 'p.jpg', mediaType: 'image/jpeg', size: 1, sha256: 'b'.repeat(64) });
    expect(replay.replayed).to.equal(true);
    expect(replay.revision).to.equal(3n);
  });

  it('given a process whose held fold is behind another process, when a command only the newer state allows comes, then it is decided again on the stored state and lands', async () => {
    const services = loadServiceCatalogue();
    const processA = createCommandHandler({ events: store, services, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor });
    const processB = createCommandHandler({ events: store, services, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor });
    const caseId = '7d3a5c1e-0000-4000-8000-0000000a11ed';
    await processA.handle({ ...draft, commandId: 'behind-draft', caseId });
    for (const [materialId, mediaType, n] of [['photo', 'image/jpeg', 1], ['rental-contract', 'application/pdf', 2]] as const) {
      await processB.handle({ type: 'UploadMaterial', commandId: `behind-${materialId}`, caseId, actor: citizen(), materialId, fileName: materialId, mediaType, size: 1, sha256: String(n).repeat(64) });
    }
    await processB.handle({ type: 'SubmitApplication', commandId: 'behind-submit', caseId, actor: citizen() });
    // A still holds the draft, where a clerk may not accept: the refusal came from the held fold, not the store.
    const accepted = await processA.handle({ type: 'AcceptCase', commandId: 'behind-accept', caseId, actor: clerk('PSB') });
    expect(accepted.replayed).to.equal(false);
    expect((await store.readStream(`case-${caseId}`)).map((e) => e.type)).to.include('CaseAccepted');
  });

  it('given a store that reports replays, when a new application is appended without reading first, then retries replay and duplicates are refused', async () => {
    const services = loadServiceCatalogue();
    let reads = 0;
    const watched: EventStore = { ...store, readStream: (stream, options) => (reads++, store.readStream(stream, options)) };
    const blind = createCommandHandler({ events: watched, services, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor, appendReportsReplays: true, cacheSize: 0 });
    const caseId = '7d3a5c1e-0000-4000-8000-0000000b11d0';
    const first = await blind.handle({ ...draft, commandId: 'blind-1', caseId });
    expect(first).to.include({ replayed: false, status: 'draft' });
    expect(reads).to.equal(0);
    const retried = await blind.handle({ ...draft, commandId: 'blind-1', caseId });
    expect(retried).to.include({ replayed: true, status: 'draft' });
    expect(retried.revision).to.equal(0n);
    const other = await blind.handle({ ...draft, commandId: 'blind-2', caseId }).catch((error: unknown) => error);
    expect(other).to.be.instanceOf(CaseExistsError);
    expect(await store.readStream(`case-${caseId}`)).to.have.length(1);
  });

  it('given the case reloaded from the store, then its state is the fold of what was written', async () => {
    const state = await handler.load(CASE);
    expect(state.status).to.equal('draft');
    expect(state.revision).to.equal(2n);
    expect(state.context.materials.photo!.status).to.equal('uploaded');
  });
});
