import type { SqlStatement } from '../runner.ts';

export function pingStatement(): SqlStatement {
  return { text: 'SELECT 1 AS ok', values: [] };
}
