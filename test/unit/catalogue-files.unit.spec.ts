import { expect } from 'chai';
import { readCatalogueDirectory } from '../../adapters/files/index.ts';
import { catalogueFiles, readCatalogueFiles, type CatalogueFile } from '../../domain/catalogue/index.ts';

const bundled = () => readCatalogueDirectory();
const edit = (files: CatalogueFile[], name: string, change: (def: Record<string, unknown>) => Record<string, unknown>, rename?: string): CatalogueFile[] =>
  files.map((f) => (f.name === name ? { name: rename ?? f.name, content: JSON.stringify(change(JSON.parse(f.content) as Record<string, unknown>)) } : f));
const problems = (files: CatalogueFile[]) => {
  const read = readCatalogueFiles(files);
  return read.ok ? [] : read.errors.map((e) => [e.file, e.field]);
};

describe('a whole catalogue as files (import and export)', () => {
  it('given the bundled files, then they read as one catalogue, and written back as files they read the same', () => {
    const read = readCatalogueFiles(bundled());
    expect(read.ok).to.equal(true);
    if (!read.ok) return;
    expect(read.value.services.length).to.equal(bundled().filter((f) => f.name.startsWith('services/')).length);
    const again = readCatalogueFiles(catalogueFiles(read.value));
    expect(again.ok && again.value).to.deep.equal(read.value);
  });

  it('given mistakes in several files, then every one is named by file and field, not just the first', () => {
    let files = edit(bundled(), 'services/residence-permit.v1.json', (d) => ({ ...d, department: 'NOWHERE', limits: { ...(d.limits as object), promisedDays: -3 } }));
    files = edit(files, 'data-catalogue.json', (d) => ({ ...d, items: (d.items as Array<Record<string, unknown>>).map((item, i) => (i === 1 ? { ...item, sharing: 'sometimes' } : item)) }));
    files = [...files, { name: 'bundles/empty.v1.json', content: JSON.stringify({ id: 'empty', version: 1, name: { 'zh-CN': '空', en: 'Empty' }, services: ['residence-permit'] }) }];
    const found = problems(files);
    // A broken data catalogue stops the reading of services against it: those come in the next round.
    expect(found).to.deep.equal([['data-catalogue.json', 'items[1].sharing']]);
    const fixedData = files.map((f) => (f.name === 'data-catalogue.json' ? bundled().find((b) => b.name === f.name)! : f));
    const second = problems(fixedData);
    expect(second).to.deep.include(['services/residence-permit.v1.json', 'department']);
    expect(second).to.deep.include(['services/residence-permit.v1.json', 'limits.promisedDays']);
    expect(second).to.deep.include(['bundles/empty.v1.json', 'services']);
  });

  it('given files whose names do not say what they hold, broken JSON, duplicates or strangers, then each is named', () => {
    const files = [
      ...edit(bundled(), 'services/residence-permit.v1.json', (d) => ({ ...d, version: 3 })),
      { name: 'services/tax-clearance-certificate.v1.json', content: '{}' },
      { name: 'services/broken.v1.json', content: '{' },
      { name: 'README.md', content: '# hi' },
    ];
    const found = problems(files);
    expect(found).to.deep.include(['services/residence-permit.v1.json', 'version']);
    expect(found).to.deep.include(['services/tax-clearance-certificate.v1.json', '(file)']);
    expect(found).to.deep.include(['services/broken.v1.json', '(file)']);
    expect(found).to.deep.include(['README.md', '(file)']);
  });

  it('given holiday files, then they are read with the catalogue, checked and named by file and field', () => {
    const year = { region: 'CN', year: 2027, source: 'test', holidays: [{ name: { 'zh-CN': '元旦', en: "New Year's Day" }, from: '2027-01-01', to: '2027-01-01', makeUpWorkingDays: [] }] };
    const read = readCatalogueFiles([...bundled(), { name: 'calendars/CN-2027.json', content: JSON.stringify(year) }]);
    expect(read.ok && read.value.calendars).to.deep.equal([year]);
    if (read.ok) expect(catalogueFiles(read.value).map((f) => f.name)).to.include('calendars/CN-2027.json');
    const bad = problems([...bundled(), { name: 'calendars/CN-2027.json', content: JSON.stringify({ ...year, holidays: [{ ...year.holidays[0], from: '2027-13-01' }] }) }]);
    expect(bad.map(([file]) => file)).to.deep.equal(['calendars/CN-2027.json']);
    expect(bad[0]![1]).to.match(/^holidays\[0\]/);
  });

  it('given no data catalogue, then that is the problem named', () => {
    expect(problems(bundled().filter((f) => f.name !== 'data-catalogue.json'))).to.deep.equal([['data-catalogue.json', '(file)']]);
  });
});
