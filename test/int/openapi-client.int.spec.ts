import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { OpenApiDocument } from '../../api/openapi/index.ts';
import { CLIENT_SCHEMA_PATH, clientSchemaSource, liveDocument } from '../../scripts/client.ts';

type Operation = { parameters?: Array<{ name: string; in: string }>; responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: Record<string, unknown> }> }>; 'x-command'?: string };

/** Every object schema in the tree that admits properties nobody listed. */
function openObjects(schema: unknown, at: string, found: string[]): string[] {
  if (Array.isArray(schema)) schema.forEach((item, i) => openObjects(item, `${at}/${i}`, found));
  else if (schema && typeof schema === 'object') {
    const record = schema as Record<string, unknown>;
    if (record.additionalProperties === true) found.push(at);
    for (const [key, value] of Object.entries(record)) openObjects(value, `${at}/${key}`, found);
  }
  return found;
}

describe('The published contract: the OpenAPI document and the typed client generated from it', function () {
  this.timeout(180_000);
  let document: OpenApiDocument;
  const operation = (path: string, method: string) => document.paths[path]![method] as unknown as Operation;

  before(async () => {
    document = await liveDocument();
  });

  it('given the live document, then api/client/schema.d.ts is what `npm run client` generates from it (not stale)', async () => {
    const committed = readFileSync(CLIENT_SCHEMA_PATH, 'utf8');
    expect(committed === (await clientSchemaSource(document)), 'api/client/schema.d.ts is stale: run `npm run client` and commit it').to.equal(true);
  });

  it('every operation issuing a case command documents 404, 409 (with state, allowedCommands, actions), 422, If-Match, Idempotency-Key and ETag', () => {
    const commands = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([, op]) => (op as Operation)['x-command']).map(([method]) => [path, method] as const));
    expect(commands.length).to.be.greaterThan(20);
    for (const [path, method] of commands) {
      const op = operation(path, method);
      expect(Object.keys(op.responses), `${method} ${path}`).to.include.members(['404', '409', '422']);
      expect(op.parameters?.map((p) => p.name), `${method} ${path}`).to.include.members(['If-Match', 'Idempotency-Key']);
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'))![1];
      expect(success.headers, `${method} ${path}`).to.have.property('ETag');
    }
    const problem = document.components.schemas.Problem as { properties: Record<string, unknown> };
    expect(problem.properties).to.include.keys('state', 'allowedCommands', 'actions');
  });

  it('GET /cases/{caseId} documents If-None-Match and its 304, and the ETag it answers with', () => {
    const read = operation('/cases/{caseId}', 'get');
    expect(read.parameters?.map((p) => p.name)).to.include('If-None-Match');
    expect(read.responses).to.have.property('304');
    expect(read.responses['200']!.headers).to.have.property('ETag');
  });

  it('the case view, work queue, case list, data use, audit trail, services and statistics answers are closed schemas', () => {
    const closedOnes: Array<[string, string]> = [
      ['/cases/{caseId}', 'get'], ['/work-queue', 'get'], ['/cases', 'get'], ['/me/data-use', 'get'], ['/audit/cases/{caseId}', 'get'],
      ['/audit/subjects/{subjectId}', 'get'], ['/services', 'get'], ['/services/{serviceId}', 'get'], ['/statistics', 'get'],
    ];
    for (const [path, method] of closedOnes) {
      const schema = operation(path, method).responses['200']!.content!['application/json']!.schema;
      // Form values and fetched evidence fields are the service's and the data item's own: the only open objects left.
      const open = openObjects(schema, '', []).filter((at) => !/\/(form|fields)\//.test(`${at}/`) && !at.endsWith('/fields/anyOf/0'));
      expect(open, `${method} ${path}`).to.deep.equal([]);
    }
  });
});
