/**
 * The web pages: a landing page to sign in, the citizen portal, the clerk workbench and the auditor's page. Plain
 * HTML, CSS and browser ES modules served as they are (no build step); every page talks to /api/v1 with the bearer
 * token kept in sessionStorage. Each role is one HTML shell whose module renders the view the path names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';
import { setRoutePattern } from '../http/index.ts';
import type { DataCatalogue } from '../../domain/catalogue/index.ts';
import { catalogueLabels, type CatalogueLabels } from './catalogue-labels.ts';

export const PAGES_STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

/**
 * openapi-fetch's browser build (one dependency-free ES module), served as /static/js/openapi-fetch.js: the pages'
 * typed API client (static/js/api.js) is the package the server's typed client (api/client/) uses, not a copy.
 * static/js/openapi-fetch.d.ts gives the pages' typecheck its types.
 */
const OPENAPI_FETCH_MODULE = fileURLToPath(import.meta.resolve('openapi-fetch'));

/** Path pattern -> the page whose module renders it (one shared HTML shell, see static/shell.html). */
const SHELLS: ReadonlyArray<readonly [string, Page]> = [
  ['/', 'index'],
  ['/citizen', 'citizen'],
  ['/citizen/services/:serviceId', 'citizen'],
  ['/citizen/cases', 'citizen'],
  ['/citizen/cases/:caseId', 'citizen'],
  ['/citizen/data-use', 'citizen'],
  ['/citizen/notifications', 'citizen'],
  ['/citizen/erasure', 'citizen'],
  ['/clerk', 'clerk'],
  ['/clerk/cases/:caseId', 'clerk'],
  ['/clerk/notifications', 'clerk'],
  ['/auditor', 'auditor'],
  // Public: where a certificate's QR code leads (status, and what the holder chose to show).
  ['/verify', 'verify'],
  ['/admin', 'admin'],
  ['/admin/services/:serviceId', 'admin'],
  ['/admin/data', 'admin'],
  ['/admin/operations', 'admin'],
];

type Page = 'index' | 'citizen' | 'clerk' | 'auditor' | 'verify' | 'admin';
const MODULES: Record<Page, string> = { index: 'landing', citizen: 'citizen', clerk: 'clerk', auditor: 'auditor', verify: 'verify', admin: 'admin' };
const SHELL = readFileSync(join(PAGES_STATIC_DIR, 'shell.html'), 'utf8');
const shells = Object.fromEntries(
  (Object.keys(MODULES) as Page[]).map((page) => [page, SHELL.replaceAll('{{page}}', page).replaceAll('{{module}}', MODULES[page])]),
) as Record<Page, string>;

export interface PagesOptions {
  /**
   * The data catalogue in force (the engine's, which follows publications in the catalogue store): the pages name
   * departments, data items and fields from it. Absent: the bundled data catalogue files.
   */
  dataCatalogue?: () => DataCatalogue;
}

export function pagesRouter(options: PagesOptions = {}): Router {
  const router = express.Router({ strict: false });
  // The engine's catalogue is one object that follows publications, so names are read from it on each request (a
  // few hundred entries); the bundled files never change while the process runs, so they are read once.
  let bundled: CatalogueLabels | null = null;
  const currentLabels = (): CatalogueLabels => {
    if (options.dataCatalogue) return catalogueLabels(options.dataCatalogue());
    bundled ??= catalogueLabels();
    return bundled;
  };

  for (const [pattern, page] of SHELLS) {
    router.get(pattern, (req: Request, res: Response) => {
      setRoutePattern(req, pattern);
      // Shells are tiny and name module URLs that may change with a deploy: always revalidate them.
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(shells[page]);
    });
  }

  router.get('/pages/catalogue.json', (req, res) => {
    setRoutePattern(req, '/pages/catalogue.json');
    // Short-lived: a data item or department published by an administrator shows on the pages within a minute.
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(currentLabels());
  });

  router.get('/static/js/openapi-fetch.js', (req, res) => {
    setRoutePattern(req, '/static/:asset');
    res.sendFile(OPENAPI_FETCH_MODULE, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });

  router.use('/static', (req, _res, next) => {
    // One label for every asset: metrics need a bounded set of patterns.
    setRoutePattern(req, '/static/:asset');
    next();
  }, express.static(PAGES_STATIC_DIR, { index: false, fallthrough: true, redirect: false }));

  return router;
}
