import type { SqlStatement } from '../runner.ts';

export function recordMigrationStatement(component: string, version: number, name: string): SqlStatement {
  return { text: 'INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)', values: [component, version, name] };
}
