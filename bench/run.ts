import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `tsx bench/run.ts [name ...]` runs bench/<name>.bench.ts for each name (or path) given, or every
 * bench/*.bench.ts when none is. Each bench exports `run(): Promise<void>` and prints its own results.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

async function benchFiles(names: string[]): Promise<string[]> {
  if (names.length > 0) {
    return names.map((name) => {
      if (name.endsWith('.ts')) return path.resolve(name);
      return path.join(here, `${name.replace(/\.bench$/, '')}.bench.ts`);
    });
  }
  return (await readdir(here))
    .filter((file) => file.endsWith('.bench.ts'))
    .sort()
    .map((file) => path.join(here, file));
}

const files = await benchFiles(process.argv.slice(2));
let failed = false;
for (const file of files) {
  const started = Date.now();
  console.log(`\n## ${path.basename(file)}\n`);
  try {
    const bench = (await import(pathToFileURL(file).href)) as { run?: () => Promise<void> };
    if (typeof bench.run !== 'function') throw new Error(`${file} does not export run()`);
    await bench.run();
  } catch (error) {
    failed = true;
    console.error(`bench ${path.basename(file)} failed:`, error);
  }
  console.log(`\n(${path.basename(file)} took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
process.exit(failed ? 1 : 0);
