import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startErrand, type RunningErrand } from '../support/http-engine.ts';

const SCHEMA_FILE = 'domain/catalogue/schema/service-definition.schema.json';
const SERVICES_DIR = 'domain/catalogue/data/services';

describe('published service definition schema over HTTP', function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  before(async () => {
    errand = await startErrand('schemas');
  });
  after(async () => errand?.stop());

  it('given GET /schemas/service-definition.json, then it is the schema file, listed in the OpenAPI document, and every served definition fits it', async () => {
    const response = await errand.api(null, 'GET', '/schemas/service-definition.json');
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
    const openapi = (await errand.openapi()) as { paths: Record<string, Record<string, { description?: string }>> };
    expect(openapi.paths).to.have.property('/schemas/service-definition.json');
    // Any JSON Schema 2020-12 validator can use it: a plain Ajv that only learns the two wording annotations.
    const ajv = new Ajv2020({ allErrors: true, discriminator: true, allowUnionTypes: true });
    ajv.addKeyword('x-expected');
    ajv.addKeyword('x-pattern-message');
    const validate = ajv.compile(response.body);
    const services = (await errand.api(null, 'GET', '/services')).body.items as Array<{ id: string }>;
    expect(services.length).to.be.greaterThan(3);
    for (const { id } of services) {
      const definition = (await errand.api(null, 'GET', `/services/${id}`)).body;
      expect(validate(definition), `${id}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    }
    for (const file of readdirSync(SERVICES_DIR)) {
      expect(validate(JSON.parse(readFileSync(join(SERVICES_DIR, file), 'utf8'))), `${file}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    }
    const broken = { ...(await errand.api(null, 'GET', `/services/${services[0]!.id}`)).body, colour: 'blue' };
    expect(validate(broken)).to.equal(false);
  });
});
