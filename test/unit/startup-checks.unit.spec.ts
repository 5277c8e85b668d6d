import { expect } from 'chai';
import { loadConfig } from '../../adapters/config/index.ts';
import { unusableServer } from '../../api/startup-checks.ts';

describe('startup checks', () => {
  const pg = { DATABASE_URL: 'postgres://db/errand' };
  it('given PostgreSQL and no way to verify tokens, when an API would start, then it is refused with the setting to change', () => {
    expect(unusableServer(loadConfig(pg))).to.match(/^nobody could sign in: set JWT_KEYS_FILE/);
  });
  it('given a JWKS, an HS256 secret or dev sign-in, then the API may start', () => {
    expect(unusableServer(loadConfig({ ...pg, JWT_KEYS_FILE: '/etc/errand/jwks.json' }))).to.equal(null);
    expect(unusableServer(loadConfig({ ...pg, AUTH_HS256_SECRET: 'x'.repeat(32) }))).to.equal(null);
    expect(unusableServer(loadConfig({ ...pg, AUTH_DEV_SIGNIN: 'true' }))).to.equal(null);
  });
  it('given a worker, which serves no HTTP, or the embedded default, which signs in demo users, then it may start', () => {
    expect(unusableServer(loadConfig({ ...pg, ROLE: 'worker' }))).to.equal(null);
    expect(unusableServer(loadConfig({}))).to.equal(null);
  });
});
