import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

const PAGES = 'api/pages/static/js';

/**
 * Page modules that start with `// @ts-check` carry JSDoc types; tsconfig.pages.json checks them against the DOM's
 * types (the project's own tsconfig has no DOM and no JavaScript). The modules without the marker are only inferred.
 */
describe('page scripts: the // @ts-check modules are type-clean', function () {
  this.timeout(120_000);

  it('given the checked modules, when tsc runs over the pages, then it reports nothing', () => {
    const checked = readdirSync(PAGES).filter((name) => name.endsWith('.js') && readFileSync(join(PAGES, name), 'utf8').startsWith('// @ts-check'));
    expect(checked).to.include.members(['clerk-work.js', 'notifications.js']);
    const run = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.pages.json'], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`.trim()).to.equal('');
    expect(run.status).to.equal(0);
  });
});
