import { boundedMap } from '../adapters/bounded-map.ts';
import { machineLine } from './support/machine.ts';
import { measurement, runTimes } from './support/measure.ts';
import { markdownTable } from './support/table.ts';

/**
 * The caches of the sealing store are bounded maps of 50,000 entries (adapters/bounded-map.ts). A worker that runs
 * for months keeps them full, so every new case sets entries into a full map: that must cost what a set into a
 * filling map costs. Baseline: sets while the map fills; measured: sets once it is full and each set evicts. Both
 * in blocks of 1,000 sets, BENCH_BOUNDED_MAP_BLOCKS blocks (default 200) after filling.
 */
const LIMIT = 50_000;
const BLOCK = 1000;
const BLOCKS = Number(process.env.BENCH_BOUNDED_MAP_BLOCKS ?? 200);

export async function run(): Promise<void> {
  console.log(machineLine());
  const map = boundedMap<string, number>(LIMIT);
  let next = 0;
  const block = async () => {
    for (let i = 0; i < BLOCK; i += 1) map.set(`k_${next++}`, next);
  };
  const filling = await runTimes(LIMIT / BLOCK, block);
  const full = await runTimes(BLOCKS, block);
  const fill = measurement('set while the map fills', filling, { unit: 'sets/s', itemsPerOp: BLOCK });
  const evicting = measurement('set into the full map (evicting)', full, { unit: 'sets/s', itemsPerOp: BLOCK, baseline: fill.label });
  console.log(markdownTable(`boundedMap(${LIMIT.toLocaleString('en-US')}), blocks of ${BLOCK} sets`, [fill, evicting]));
  if (map.size > LIMIT) throw new Error(`the map holds ${map.size} entries, more than its limit`);
}
