/**
 * A dotted path as a SQL text[] literal. Paths are inlined rather than bound so that an expression index on
 * `doc #> '{status}'` can serve the query; quoting makes any key safe.
 */
export function pathLiteral(path: string[]): string {
  const elements = path.map((segment) => `"${segment.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  return `'{${elements.join(',').replace(/'/g, "''")}}'::text[]`;
}
