import tseslint from 'typescript-eslint';

/**
 * Folders whose index.ts is their public surface: from outside, import the index, never a file behind it. Inside
 * the folder, files import each other directly ('./x.ts'), which these patterns do not match.
 */
const BARRELS = ['domain/identity', 'api/auth', 'api/openapi', 'api/metrics', 'api/pages'].map((folder) => {
  const name = folder.split('/').at(-1);
  return { regex: `(^|/)${name}/(?!index\\.ts$)[^/]+\\.ts$`, message: `import ${folder} through its index.ts, its public surface` };
});

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
  {
    files: ['domain/**/*.ts', 'workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/adapters/**', '**/api/**', 'pg', 'express', 'bullmq', 'ioredis', 'mongoose', 'node:fs', 'fs'] }, ...BARRELS] }],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['domain/**/*.ts', 'workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: BARRELS }],
    },
  },
);
