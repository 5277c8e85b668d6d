/** A schema step, applied once per database and recorded in schema_migrations under the event store's component. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
