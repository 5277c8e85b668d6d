// `node --import ./test/support/record-loads.mjs`: appends every package a module of the process imports (bare
// specifiers, one a line) to the file named by ERRAND_LOADS_FILE, so a test can tell which adapters were loaded.
import { register } from 'node:module';

register('./record-loads-hooks.mjs', import.meta.url, { data: { file: process.env.ERRAND_LOADS_FILE } });
