import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('page scripts marked // @ts-check are type-clean against the DOM (api/pages/tsconfig.json)', function () {
  this.timeout(120_000);

  it('given the checked page scripts, when the type checker runs on them, then it reports nothing', () => {
    let output = '';
    try {
      execFileSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-p', `${ROOT}api/pages`], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).to.equal('');
  });
});
