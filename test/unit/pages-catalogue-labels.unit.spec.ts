import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { loadDataCatalogue } from '../../adapters/files/index.ts';
import { buildDataCatalogue, type DataCatalogue } from '../../domain/catalogue/index.ts';
import { pagesRouter } from '../../api/pages/index.ts';

/** The pages name departments and data items from the catalogue in force, so what an administrator publishes shows. */
describe('pages: /pages/catalogue.json follows the data catalogue in force', () => {
  it('given a data catalogue that changes while the server runs, when the pages ask for names again, then the new department is named', async () => {
    const bundled = loadDataCatalogue();
    let inForce: DataCatalogue = bundled;
    const app = express().use(pagesRouter({ dataCatalogue: () => inForce }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pages/catalogue.json`;
    try {
      const before = (await (await fetch(url)).json()) as { departments: Record<string, unknown> };
      expect(before.departments).to.not.have.property('ARC');
      const departments = [...bundled.departments(), { code: 'ARC', name: { 'zh-CN': '档案局', en: 'Archives Bureau' } }];
      const built = buildDataCatalogue({ departments, items: bundled.list() } as unknown as Parameters<typeof buildDataCatalogue>[0]);
      if (!built.ok) throw new Error(JSON.stringify(built.errors));
      inForce = built.value;
      const after = (await (await fetch(url)).json()) as { departments: Record<string, unknown> };
      expect(after.departments.ARC).to.deep.equal({ 'zh-CN': '档案局', en: 'Archives Bureau' });
    } finally {
      server.close();
    }
  });
});
