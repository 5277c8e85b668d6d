/**
 * Prints a bearer token for trying the API from a shell:
 *
 *   npx tsx scripts/mint-token.ts --role clerk --sub C001 --department PSB [--roles reviewer,approver] [--expires 1h]
 *   npx tsx scripts/mint-token.ts --role citizen --sub 11010519491231002X [--subject-type person]
 *   npx tsx scripts/mint-token.ts --role department --sub PSB
 *
 * Signs with the development key in DATA_DIR/keys (created if missing, as the app does on first start), or with
 * the PEM private key given by --key and --kid. Issuer and audience come from JWT_ISSUER / JWT_AUDIENCE.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../adapters/config/index.ts';
import { principalFromClaims, ensureDevKeys, PRINCIPAL_KINDS, signToken, signerFromPrivateKey, type SignOptions, TokenError } from '../api/auth/index.ts';

const USAGE = `usage: mint-token --role ${PRINCIPAL_KINDS.join('|')} --sub <id> [--department <code>] [--roles a,b]
                  [--subject-type person|enterprise] [--name <display name>] [--expires 1h] [--key <pem> --kid <kid>]`;

function fail(message: string): never {
  process.stderr.write(`mint-token: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        role: { type: 'string' },
        sub: { type: 'string' },
        department: { type: 'string' },
        roles: { type: 'string' },
        'subject-type': { type: 'string' },
        name: { type: 'string' },
        expires: { type: 'string', default: '1h' },
        key: { type: 'string' },
        kid: { type: 'string' },
      },
      strict: true,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    fail((error as Error).message);
  }
  if (!values.role || !values.sub) fail('--role and --sub are required');
  const expires = values.expires ?? '1h';
  if (!/^\d+[smhd]?$/.test(expires)) fail(`--expires must be like 90, 15m, 1h or 7d, got "${expires}"`);
  if ((values.key === undefined) !== (values.kid === undefined)) fail('--key and --kid go together');

  const claims: Record<string, unknown> = { sub: values.sub, kind: values.role };
  if (values.role === 'citizen') claims.subjectType = values['subject-type'] ?? 'person';
  if (values.role === 'clerk') {
    claims.department = values.department;
    claims.roles = values.roles ? values.roles.split(',').map((role) => role.trim()).filter(Boolean) : [];
  }
  if (values.name) claims.name = values.name;
  try {
    // The same check the API applies, so a token that prints is a token the API accepts.
    principalFromClaims(claims);
  } catch (error) {
    if (error instanceof TokenError) fail(error.reason);
    throw error;
  }

  const config = loadConfig();
  const identity = { issuer: config.auth.issuer, audience: config.auth.audience };
  const signer = values.key ? signerFromPrivateKey(readFileSync(values.key, 'utf8'), identity, values.kid) : ensureDevKeys(config.dataDir, identity);
  const expiresIn = (/^\d+$/.test(expires) ? Number(expires) : expires) as SignOptions['expiresIn'];
  process.stdout.write(`${signToken(signer, claims, { expiresIn })}\n`);
}

main();
