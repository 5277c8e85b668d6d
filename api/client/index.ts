/**
 * The typed Errand client: openapi-fetch over the types `npm run client` generates from the OpenAPI document, so a
 * path, parameter or field the API does not have is a compile error in the caller.
 *
 *   const errand = createErrandClient({ baseUrl: 'https://errand.example/api/v1', token });
 *   const { data, error } = await errand.GET('/cases/{caseId}', { params: { path: { caseId } } });
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.d.ts';

export type { components, paths } from './schema.d.ts';

export type ErrandClient = Client<paths>;

export function createErrandClient(options: { baseUrl: string; token?: string; fetch?: typeof fetch }): ErrandClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
  });
}
