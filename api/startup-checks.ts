import type { Config } from '../adapters/config/index.ts';

/**
 * What would make a started server useless, said before it starts: one line naming the setting to change, or null.
 * An API outside the embedded default with no way to verify a token would answer every request with 401.
 */
export function unusableServer(config: Config): string | null {
  if (config.role === 'worker') return null;
  const { keysFile, hs256Secret, devSignIn } = config.auth;
  if (keysFile || hs256Secret || devSignIn) return null;
  return 'nobody could sign in: set JWT_KEYS_FILE to a JWKS of the keys that sign your API tokens (or AUTH_DEV_SIGNIN=true for development)';
}
