import type { SqlStatement } from '../runner.ts';

export function appliedMigrationsStatement(component: string): SqlStatement {
  return { text: 'SELECT version FROM schema_migrations WHERE component = $1', values: [component] };
}
