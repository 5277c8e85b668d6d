import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Parses one JSON file; a syntax error names the file, so a broken data file is found at start-up, not in a case. */
export function readJsonFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** Every *.json file of a directory, sorted by name so loading order never depends on the file system. */
export function jsonFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
}
