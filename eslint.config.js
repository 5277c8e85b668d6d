import tseslint from 'typescript-eslint';

/**
 * Folders whose index.ts is their public surface: from outside, import the index, never a file behind it. Inside
 * the folder, files import each other directly ('./x.ts'), which these patterns do not match.
 */
const BARRELS = ['domain/identity', 'api/auth', 'api/openapi', 'api/metrics', 'api/pages'].map((folder) => {
  const name = folder.split('/').at(-1);
  return { regex: `(^|/)${name}/(?!index\\.ts$)[^/]+\\.ts$`, message: `import ${folder} through its index.ts, its public surface` };
});

/**
 * The layers, from the bottom: domain/ (pure rules and the ports, domain/ports/), workflows/, projections/, adapters/
 * (I/O, implementing the ports), runtime/ (the composition root), then api/, scripts/, bench/ and test/ on top. A
 * layer imports only what lies below it: the core imports ports but no adapter, and nothing below runtime/ imports
 * the composition root. Packages that do I/O stay out of the pure core.
 */
const UPPER = ['api', 'scripts', 'bench', 'test'];
const LAYERS = [
  { files: 'domain', forbidden: ['workflows', 'projections', 'adapters', 'runtime', ...UPPER], packages: true },
  { files: 'workflows', forbidden: ['projections', 'adapters', 'runtime', ...UPPER], packages: true },
  { files: 'projections', forbidden: ['adapters', 'runtime', ...UPPER] },
  { files: 'adapters', forbidden: ['runtime', ...UPPER] },
  { files: 'runtime', forbidden: UPPER },
];
const IO_PACKAGES = ['pg', 'express', 'bullmq', 'ioredis', 'mongoose', '@eventstore/*', '@electric-sql/*', 'node:fs', 'fs'];

function layers() {
  const own = LAYERS.map(({ files, forbidden, packages }) => ({
    files: [`${files}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: forbidden.map((layer) => `**/${layer}/**`), message: `${files}/ lies below ${forbidden.join('/, ')}/: import only downwards (ports are in domain/ports/)` },
          ...(packages ? [{ group: IO_PACKAGES, message: `${files}/ is pure: I/O belongs in an adapter behind a port` }] : []),
          ...BARRELS,
        ],
      }],
    },
  }));
  return [
    ...own,
    { files: ['**/*.ts'], ignores: LAYERS.map(({ files }) => `${files}/**/*.ts`), rules: { 'no-restricted-imports': ['error', { patterns: BARRELS }] } },
  ];
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'api/pages/static/**', '.probe-tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  ...layers(),
);
