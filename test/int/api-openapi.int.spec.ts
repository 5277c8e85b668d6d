import { expect } from 'chai';
import { validateAgainstOpenApi, type OpenApiDocument } from '../../api/openapi/index.ts';
import { startSampleApp, type SampleSetup } from './api-http.int.spec.ts';

describe('OpenAPI document (api-openapi)', () => {
  let setup: SampleSetup;
  let doc: OpenApiDocument;
  before(async () => {
    setup = await startSampleApp();
    const response = await fetch(`${setup.app.url}/api/v1/openapi.json`);
    expect(response.status).to.equal(200);
    doc = (await response.json()) as OpenApiDocument;
  });
  after(async () => {
    await setup.app.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${setup.app.url}/api/v1/samples/S-1/decisions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${setup.clerk}`, 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('is OpenAPI 3.1 with the bearer JWT scheme and the problem schema', () => {
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.jsonSchemaDialect).to.equal('https://json-schema.org/draft/2020-12/schema');
    expect(doc.servers).to.deep.equal([{ url: '/api/v1' }]);
    expect(doc.components.securitySchemes.bearerAuth).to.deep.equal({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.components.schemas.Problem).to.have.nested.property('properties.type');
  });

  it('lists the sample routes with roles, parameters, headers, the enforced body schema and the error responses', () => {
    const operation = doc.paths['/samples/{sampleId}/decisions']!.post as Record<string, unknown>;
    expect(operation).to.include({ operationId: 'postSamplesBySampleIdDecisions', summary: 'Decide a sample' });
    expect(operation.security).to.deep.equal([{ bearerAuth: [] }]);
    expect(operation['x-roles']).to.deep.equal(['clerk']);
    const parameters = operation.parameters as Array<{ name: string; in: string; required: boolean }>;
    expect(parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).to.deep.equal([
      'path:sampleId:true',
      'query:dryRun:false',
      'header:Idempotency-Key:false',
      'header:If-Match:false',
    ]);
    const body = (operation.requestBody as { content: Record<string, { schema: Record<string, unknown> }> }).content['application/json']!.schema;
    expect(body.additionalProperties).to.equal(false);
    expect(body).to.have.nested.property('properties.applicant.additionalProperties', false);
    const responses = operation.responses as Record<string, { content?: Record<string, unknown> }>;
    expect(Object.keys(responses)).to.include.members(['201', '400', '401', '403', '409', '413', '415', '422', '429', '500']);
    expect(responses['409']!.content).to.have.property('application/problem+json');

    const put = doc.paths['/samples/{sampleId}']!.put as { parameters: Array<{ name: string; required: boolean }>; responses: Record<string, unknown> };
    expect(put.parameters.filter((p) => p.required).map((p) => p.name)).to.deep.equal(['sampleId', 'Idempotency-Key', 'If-Match']);
    expect(put.responses).to.have.property('428');
  });

  it('validateAgainstOpenApi accepts the app’s real responses, successes and problems alike', async () => {
    const created = await post({ decision: 'approve' }, { 'If-Match': '3' });
    expect(created.status).to.equal(201);
    expect(validateAgainstOpenApi(doc, 'POST', '/api/v1/samples/S-1/decisions', 201, await created.json())).to.deep.equal({ valid: true, errors: [] });

    const invalid = await post({ colour: 'red' });
    expect(invalid.status).to.equal(400);
    expect(validateAgainstOpenApi(doc, 'post', '/api/v1/samples/S-1/decisions', 400, await invalid.json()).valid).to.equal(true);

    const wrongState = await fetch(`${setup.app.url}/api/v1/samples/closed/decisions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${setup.clerk}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(validateAgainstOpenApi(doc, 'POST', '/samples/{sampleId}/decisions', 409, await wrongState.json()).valid).to.equal(true);
  });

  it('validateAgainstOpenApi rejects a non-conforming body and says where', () => {
    const check = validateAgainstOpenApi(doc, 'POST', '/api/v1/samples/S-1/decisions', 201, {
      sampleId: 'S-1',
      decision: 'approve',
      revision: 7,
      surprise: true,
    });
    expect(check.valid).to.equal(false);
    expect(check.errors.map((e) => e.path)).to.include.members(['/commandId', '/revision', '/surprise']);
    expect(validateAgainstOpenApi(doc, 'POST', '/api/v1/samples/S-1/decisions', 409, { title: 'no type' }).valid).to.equal(false);
  });

  it('validateAgainstOpenApi says when the operation or the status is not documented', () => {
    expect(validateAgainstOpenApi(doc, 'GET', '/api/v1/nowhere', 200, {}).errors[0]!.message).to.match(/no path in the document matches/);
    expect(validateAgainstOpenApi(doc, 'DELETE', '/api/v1/samples/S-1/decisions', 200, {}).errors[0]!.message).to.match(/is not in the document/);
    expect(validateAgainstOpenApi(doc, 'POST', '/api/v1/samples/S-1/decisions', 418, {}).errors[0]!.message).to.match(/documents no 418 response/);
  });
});
