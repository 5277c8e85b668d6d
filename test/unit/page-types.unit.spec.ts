import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { expect } from 'chai';

const PAGES = 'api/pages/static/js';

/**
 * Every page module is type-checked as JavaScript by tsconfig.pages.json, against the DOM's types and the typed API
 * client's (the project's own tsconfig has no DOM and no JavaScript). Modules that start with `// @ts-check` say so
 * in the file as well.
 */
describe('page scripts: every module is type-clean', function () {
  this.timeout(120_000);

  it('given the page modules, when tsc runs over the pages, then it checks each of them and reports nothing', () => {
    const modules = readdirSync(PAGES).filter((name) => name.endsWith('.js'));
    expect(modules).to.include.members(['api.js', 'clerk-work.js', 'notifications.js', 'citizen-case.js']);
    const run = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.pages.json', '--listFilesOnly'], { encoding: 'utf8' });
    expect(run.status).to.equal(0);
    for (const name of modules) expect(run.stdout, name).to.include(`${PAGES}/${name}`);
    const check = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.pages.json'], { encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`.trim()).to.equal('');
    expect(check.status).to.equal(0);
  });
});
