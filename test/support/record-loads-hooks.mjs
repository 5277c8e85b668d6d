// Module resolve hook (runs in the loader thread) for record-loads.mjs.
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data?.file;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (file && !/^(\.|\/|node:|file:|data:)/.test(specifier)) appendFileSync(file, `${specifier}\n`);
  return result;
}
