import { expect } from 'chai';
import { appendFileSync, chmodSync, fdatasync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileAccessLog, DamagedAccessLogError, type NewAccessLogEntry } from '../../adapters/gateway/index.ts';

const entry = (requestId: string, overrides: Partial<NewAccessLogEntry> = {}): NewAccessLogEntry => ({
  at: '2026-03-02T09:00:00.000Z', department: 'PSB', result: 'found', status: 200, reason: null, verified: true,
  requestId, issuer: 'errand', keyId: 'k-1', requester: 'AMR', caseId: 'case-1', serviceId: 'residence-permit',
  legalBasis: 'Residence Permit Regulation art. 5', subject: { type: 'person', id: '110101199003077777' }, dataItem: 'household-registration',
  fields: ['name'], ...overrides,
});

describe('gateway access log in a file (a gateway without --access-log-url)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'errand-file-log-'));
    file = join(dir, 'access-log.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given entries appended, when the log is opened again (a restart), then it lists them as they were and numbering goes on', async () => {
    const log = createFileAccessLog({ file });
    const written = [await log.append(entry('a')), await log.append(entry('b', { caseId: 'case-2', subject: null, fields: [] }))];
    await log.close?.();
    const reopened = createFileAccessLog({ file });
    expect(await reopened.list()).to.deep.equal(written);
    expect((await reopened.append(entry('c'))).seq).to.equal(3);
    expect((await reopened.list({ caseId: 'case-2' })).map((e) => e.requestId)).to.deep.equal(['b']);
    await reopened.close?.();
  });

  it('given a file, then only its owner may read it, also one restored with a wider mode: entries name the subjects asked about', async () => {
    const log = createFileAccessLog({ file });
    await log.append(entry('a'));
    await log.close?.();
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    chmodSync(file, 0o644);
    const reopened = createFileAccessLog({ file });
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(reopened.cutAtOpen).to.equal(0);
    await reopened.close?.();
  });

  it('given the log of another department, when opened as PSB\'s, then it refuses: the wrong file is not this department\'s record', async () => {
    const log = createFileAccessLog({ file, department: 'HRSS' });
    await log.append(entry('a', { department: 'HRSS' }));
    await log.close?.();
    expect(() => createFileAccessLog({ file, department: 'PSB' })).to.throw(DamagedAccessLogError, /line 1 \(an entry of HRSS, in the log of PSB\)/);
  });

  it('given a last line cut short by a crash mid-write, when opened, then that unanswered tail is cut off and the next entry follows the last whole one', async () => {
    const log = createFileAccessLog({ file });
    const kept = await log.append(entry('a'));
    await log.close?.();
    const torn = '{"at":"2026-03-02T09:00:01.000Z","department":"PSB","seq":2,"requ';
    appendFileSync(file, torn);
    const reopened = createFileAccessLog({ file });
    expect(reopened.cutAtOpen, 'the bytes cut are reported, for the gateway to log').to.equal(torn.length);
    expect(await reopened.list()).to.deep.equal([kept]);
    const next = await reopened.append(entry('b'));
    expect(next.seq).to.equal(2);
    expect(await reopened.list()).to.deep.equal([kept, next]);
    await reopened.close?.();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { requestId: string }).requestId)).to.deep.equal(['a', 'b']);
  });

  for (const [what, damage] of [
    ['a line that is not JSON', (lines: string[]) => lines.splice(1, 1, 'not json')],
    ['an entry removed', (lines: string[]) => lines.splice(1, 1)],
    ['entries swapped', (lines: string[]) => lines.splice(0, 2, lines[1]!, lines[0]!)],
    ['a line that is no entry', (lines: string[]) => lines.splice(1, 1, '[1,2]')],
  ] as const) {
    it(`given ${what} in the file, when opened, then it refuses, naming the line, rather than serve a damaged record`, async () => {
      const log = createFileAccessLog({ file });
      for (const id of ['a', 'b', 'c']) await log.append(entry(id));
      await log.close?.();
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      damage(lines);
      writeFileSync(file, `${lines.join('\n')}\n`);
      expect(() => createFileAccessLog({ file })).to.throw(DamagedAccessLogError, /line [12] /);
    });
  }

  it('given a value holding a line break, when appended and read back, then it stays one entry', async () => {
    const log = createFileAccessLog({ file });
    const odd = await log.append(entry('x\n{"seq":99}', { reason: 'line\nbreak' }));
    await log.close?.();
    const reopened = createFileAccessLog({ file });
    expect(await reopened.list()).to.deep.equal([odd]);
    await reopened.close?.();
  });

  it('given more than a read chunk of entries, when paged by seq after a restart, then each entry comes once, in order', async () => {
    const log = createFileAccessLog({ file });
    // Long fields make the file larger than one 1 MiB read, so lines cross chunk boundaries.
    const fields = Array.from({ length: 40 }, (_, i) => `field-with-a-long-name-${i}`);
    for (let i = 0; i < 1200; i += 1) await log.append(entry(`p-${i}`, { fields }));
    await log.close?.();
    expect(statSync(file).size).to.be.greaterThan(1 << 20);
    const reopened = createFileAccessLog({ file });
    const seen: string[] = [];
    for (let after = 0; ; ) {
      const page = await reopened.list({ after, limit: 1000 });
      if (page.length === 0) break;
      seen.push(...page.map((e) => e.requestId!));
      after = page[page.length - 1]!.seq;
    }
    expect(seen).to.deep.equal(Array.from({ length: 1200 }, (_, i) => `p-${i}`));
    expect((await reopened.list({ subjectId: '110101199003077777', after: 1150, limit: 1000 })).map((e) => e.seq)).to.deep.equal(Array.from({ length: 50 }, (_, i) => 1151 + i));
    await reopened.close?.();
  });

  it('given entries in Chinese over more than a read chunk, when read from a point where a chunk ends inside a character, then every entry reads back whole', async () => {
    const log = createFileAccessLog({ file });
    const legalBasis = '《居住证暂行条例》第五条：公安机关核实申请人的户籍登记信息。'.repeat(8);
    const appended = [];
    for (let i = 0; i < 1500; i += 1) appended.push(await log.append(entry(`z-${i}`, { legalBasis, reason: i % 2 ? null : '共享规则拒绝' })));
    const bytes = readFileSync(file);
    const starts = [0];
    for (let at = bytes.indexOf(0x0a); at !== -1 && at < bytes.length - 1; at = bytes.indexOf(0x0a, at + 1)) starts.push(at + 1);
    // A read of 1 MiB from entry `after`'s line ends inside a three-byte character (a continuation byte follows).
    const after = starts.findIndex((start) => (bytes[start + (1 << 20)]! & 0xc0) === 0x80);
    expect(after).to.be.within(0, 100);
    const read = [...(await log.list({ after, limit: 1000 })), ...(await log.list({ after: after + 1000, limit: 1000 }))];
    expect(read).to.deep.equal(appended.slice(after));
    await log.close?.();
  });

  it('given a page being read when the log is closed, then the read ends with an error, never reading a file opened after it on the same descriptor', async () => {
    const log = createFileAccessLog({ file });
    const fields = Array.from({ length: 40 }, (_, i) => `field-with-a-long-name-${i}`);
    for (let i = 0; i < 1200; i += 1) await log.append(entry(`c-${i}`, { fields }));
    // A filter nothing matches reads the whole file, chunk by chunk; the close lands after its first chunk.
    const reading = log.list({ caseId: 'no such case' });
    await log.close?.();
    const other = join(dir, 'other.txt');
    writeFileSync(other, 'x'.repeat(4 << 20));
    const outcome = await reading.then(
      (entries) => ({ entries }),
      (error: Error) => ({ error: error.message }),
    );
    expect(outcome).to.deep.equal({ error: 'the access log was closed while a page was read' });
  });

  it('given appends made at once, when listed before they return, then none is shown until its flush is done; once they return, all are, in order', async () => {
    const log = createFileAccessLog({ file });
    const appends = Array.from({ length: 50 }, (_, i) => log.append(entry(`f-${i}`)));
    // Written, not yet on disk: a page must not show an entry whose request could still be refused for want of a log.
    expect(await log.list({ limit: 1000 })).to.deep.equal([]);
    const done = await Promise.all(appends);
    expect(done.map((e) => e.seq)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await log.list({ limit: 1000 })).to.deep.equal(done);
    await log.close?.();
    const reopened = createFileAccessLog({ file });
    expect(await reopened.list({ limit: 1000 })).to.deep.equal(done);
    await reopened.close?.();
  });

  it('given a flush the disk fails, then no append it covered returns, the file goes back to what was on disk, and the log takes no more entries', async () => {
    let failing = false;
    const log = createFileAccessLog({
      file,
      fdatasync: (fd, done) => (failing ? setImmediate(() => done(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }))) : fdatasync(fd, done)),
    });
    const kept = await log.append(entry('kept'));
    failing = true;
    const lost = await Promise.all(['lost-1', 'lost-2'].map((id) => log.append(entry(id)).then(() => 'returned', (error: Error) => error.message)));
    expect(lost).to.deep.equal(['EIO: i/o error, fdatasync', 'EIO: i/o error, fdatasync']);
    expect(await log.list()).to.deep.equal([kept]);
    expect(readFileSync(file, 'utf8')).to.equal(`${JSON.stringify(kept)}\n`);
    failing = false;
    expect(await log.append(entry('after')).then(() => 'returned', (error: Error) => error.message)).to.match(/takes no more entries since the disk failed it/);
    await log.close?.();
    const reopened = createFileAccessLog({ file });
    expect(await reopened.list()).to.deep.equal([kept]);
    await reopened.close?.();
  });

  it('given a flush still running, when the log is closed, then close answers only after that flush, with the append returned and on disk', async () => {
    const log = createFileAccessLog({ file, fdatasync: (fd, done) => setTimeout(() => fdatasync(fd, done), 100) });
    let appended = false;
    const appending = log.append(entry('slow')).then((stored) => {
      appended = true;
      return stored;
    });
    await log.close?.();
    expect(appended, 'the append had returned when close answered').to.equal(true);
    const reopened = createFileAccessLog({ file });
    expect(await reopened.list()).to.deep.equal([await appending]);
    await reopened.close?.();
  });

  it('given an fdatasync that throws at the call, then the append fails like a failed flush and nothing hangs', async () => {
    const log = createFileAccessLog({
      file,
      fdatasync: () => {
        throw new Error('EBADF: bad file descriptor, fdatasync');
      },
    });
    const outcomes = await Promise.all([log.append(entry('a')), log.append(entry('b'))].map((p) => p.then(() => 'returned', (error: Error) => error.message)));
    expect(outcomes[0]).to.equal('EBADF: bad file descriptor, fdatasync');
    expect(outcomes[1]).to.match(/EBADF|takes no more entries/);
    await log.close?.();
  });
});
