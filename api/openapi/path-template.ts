/**
 * Routes are written in express syntax (`/cases/:caseId`) and documented in OpenAPI syntax (`/cases/{caseId}`).
 * Only plain segments and `:name` parameters are allowed, so the two forms always convert both ways.
 */

const SEGMENT = /^(?::[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9._~-]+)$/;

export function assertRoutePath(path: string): void {
  if (path === '/') return;
  if (!path.startsWith('/') || path.endsWith('/')) {
    throw new Error(`route path "${path}" must start with "/" and not end with one`);
  }
  for (const segment of path.slice(1).split('/')) {
    if (!SEGMENT.test(segment)) {
      throw new Error(`route path "${path}": segment "${segment}" must be plain text or :name (no wildcards or optional parts)`);
    }
  }
}

export function pathParamNames(path: string): string[] {
  return path.split('/').filter((segment) => segment.startsWith(':')).map((segment) => segment.slice(1));
}

export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** Does a concrete path (`/cases/abc`) fit an OpenAPI template (`/cases/{caseId}`)? */
export function matchesTemplate(template: string, path: string): boolean {
  const pattern = template
    .split('/')
    .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`).test(path);
}
