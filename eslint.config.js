import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** Every folder with an index.ts: each is a unit whose index.ts is its public surface. */
function surfaces(dir = ROOT, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || ['node_modules', 'data', 'dist', 'static'].includes(entry.name)) continue;
    const folder = path.join(dir, entry.name);
    if (fs.existsSync(path.join(folder, 'index.ts'))) found.push(folder);
    surfaces(folder, found);
  }
  return found;
}
const SURFACES = surfaces();

/**
 * A folder with an index.ts is a unit: from outside it, import its index.ts (or the index.ts of a unit nested in it,
 * e.g. one adapter's folder), never a file behind it. Inside a unit, files import each other directly.
 */
const publicSurface = {
  meta: { type: 'problem', messages: { deep: "import {{folder}}/ through its index.ts, its public surface (not '{{specifier}}')" }, schema: [] },
  create(context) {
    const importer = context.filename;
    function check(source) {
      if (source?.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = path.resolve(path.dirname(importer), source.value);
      if (!target.endsWith('.ts')) return;
      if (SURFACES.some((folder) => target.startsWith(folder + path.sep) && importer.startsWith(folder + path.sep))) return;
      const units = SURFACES.filter((folder) => target.startsWith(folder + path.sep));
      if (units.length === 0 || units.some((folder) => target === path.join(folder, 'index.ts'))) return;
      const unit = units.reduce((a, b) => (b.length > a.length ? b : a));
      context.report({ node: source, messageId: 'deep', data: { folder: path.relative(ROOT, unit), specifier: source.value } });
    }
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

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
        ],
      }],
    },
  }));
  return own;
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', '.probe-tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  ...layers(),
  {
    files: ['**/*.ts'],
    plugins: { errand: { rules: { 'public-surface': publicSurface } } },
    rules: { 'errand/public-surface': 'error' },
  },
);
