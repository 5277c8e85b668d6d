/**
 * Loads the demo shared data library into PostgreSQL (one table per data item of the catalogue):
 *
 *   tsx scripts/seed-library.ts [--url postgres://...] [--seed 20260301] [--schema library] [--secondary]
 *
 * --url        defaults to EVIDENCE_SQL_URL.
 * --secondary  also loads the base library copy (the cross-check source) into schema "<schema>_secondary".
 * Prints what was loaded (row counts) and the demo subjects' keys, never any record.
 */
import { parseArgs } from 'node:util';
import { seedSqlLibrary } from '../adapters/evidence/sql/index.ts';
import { DEFAULT_LIBRARY_SCHEMA } from '../adapters/evidence/sql/index.ts';
import { generateDemoLibrary } from '../domain/evidence/demo-library/index.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    seed: { type: 'string' },
    schema: { type: 'string', default: DEFAULT_LIBRARY_SCHEMA },
    secondary: { type: 'boolean', default: false },
  },
});

const url = values.url ?? process.env.EVIDENCE_SQL_URL;
if (!url) {
  process.stderr.write('seed-library: give --url or set EVIDENCE_SQL_URL\n');
  process.exit(2);
}
const library = generateDemoLibrary(values.seed ? { seed: Number(values.seed) } : {});
const primary = await seedSqlLibrary(url, library, { schema: values.schema });
const reports = [primary];
if (values.secondary) reports.push(await seedSqlLibrary(url, library, { schema: `${values.schema}_secondary`, copy: 'secondary' }));
for (const report of reports) {
  const total = Object.values(report.rows).reduce((a, b) => a + b, 0);
  process.stdout.write(`schema ${report.schema}: ${total} records in ${Object.keys(report.rows).length} tables, ${report.pending} pending\n`);
  for (const [item, rows] of Object.entries(report.rows)) process.stdout.write(`  ${item.padEnd(26)} ${rows}\n`);
}
process.stdout.write(`seed ${library.seed}, reference date ${library.referenceDate}; demo subjects: ${library.subjects.map((s) => s.key).join(', ')}\n`);
