export interface Tables {
  /** Quoted schema, or null for the search path. */
  schema: string | null;
  docs: string;
  checkpoints: string;
  meta: string;
  fences: string;
  /** The per-store migrations table from before the shared runner; only looked for, to adopt and drop it. */
  migrations: string;
}

/** Table names, qualified by an optional schema so suites sharing one database (PGlite) keep apart. */
export function tablesFor(schema?: string): Tables {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new TypeError(`read store schema must be a lower-case SQL identifier, got "${schema}"`);
  }
  const prefix = schema ? `"${schema}".` : '';
  return {
    schema: schema ? `"${schema}"` : null,
    docs: `${prefix}read_docs`,
    checkpoints: `${prefix}read_checkpoints`,
    meta: `${prefix}read_meta`,
    fences: `${prefix}read_fences`,
    migrations: `${prefix}read_store_migrations`,
  };
}
