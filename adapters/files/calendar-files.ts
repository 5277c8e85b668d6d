/** Loads every region-year arrangement of a directory (files named REGION-YEAR.json), by default the bundled one. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogueError } from '../../domain/catalogue/index.ts';
import { createCalendar, validateCalendarYear, type Calendar, type CalendarYear } from '../../domain/calendar/index.ts';
import { jsonFilesIn, readJsonFile } from './read-json.ts';

export const CALENDAR_DATA_DIR = fileURLToPath(new URL('../../domain/calendar/data/', import.meta.url));

export interface LoadedYear {
  year: CalendarYear;
  sha256: string;
}

/** Every year file of a directory, validated; throws naming the first invalid or misnamed file. */
export function loadYears(dir: string): LoadedYear[] {
  return jsonFilesIn(dir).map((file) => {
    const checked = validateCalendarYear(readJsonFile(file));
    if (!checked.ok) throw new CatalogueError(file, checked.errors);
    const expected = `${checked.value.region}-${checked.value.year}.json`;
    // The name is how people find a year's file; a mismatch means someone copied a file and forgot to edit it.
    if (basename(file) !== expected) throw new CatalogueError(file, [`file holds ${expected.slice(0, -5)} and must be named ${expected}`]);
    return { year: checked.value, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
  });
}

/** Every valid file of the directory; throws naming the file when one is invalid or misnamed. */
export function loadCalendarYears(dir: string = CALENDAR_DATA_DIR): CalendarYear[] {
  return loadYears(dir).map((loaded) => loaded.year);
}

/** "CN:2026@1a2b3c4d5e6f": the region's published years and a digest of their files, so any edit changes it. */
function versionOf(region: string, loaded: LoadedYear[]): string {
  const own = loaded.filter((l) => l.year.region === region).sort((a, b) => a.year.year - b.year.year);
  const digest = createHash('sha256').update(own.map((l) => `${l.year.year}:${l.sha256}`).join(',')).digest('hex').slice(0, 12);
  return `${region}:${own.map((l) => l.year.year).join(',')}@${digest}`;
}

/** The calendar of one region ("CN") from the files of `dir`. */
export function loadCalendar(region = 'CN', dir: string = CALENDAR_DATA_DIR): Calendar {
  const loaded = loadYears(dir);
  return createCalendar(region, loaded.map((l) => l.year), { version: versionOf(region, loaded) });
}

export interface CalendarChange {
  region: string;
  previous: Calendar;
  current: Calendar;
}

export interface CalendarDirectory {
  readonly dir: string;
  /** The region's calendar from the last successful scan. */
  calendar(region: string): Calendar;
  /**
   * Reads the directory again. A region whose files changed gets a new calendar, returned with the one it replaces;
   * an invalid file throws and leaves every calendar as it was.
   */
  rescan(): CalendarChange[];
  /** The versions of every region with files, e.g. "CN:2026,2027@…", naming what due dates are computed with. */
  versions(): string;
}

/** The calendars of a directory, read at open and again on each rescan, so a new year's file needs no code change. */
export function openCalendarDirectory(dir: string = CALENDAR_DATA_DIR): CalendarDirectory {
  return openCalendarSource(() => loadYears(dir), dir);
}

/** The calendars of whatever `load` returns (a directory, the catalogue store), read at open and on each rescan. */
export function openCalendarSource(load: () => LoadedYear[], dir: string): CalendarDirectory {
  let loaded = load();
  const calendars = new Map<string, Calendar>();
  const build = (region: string) => createCalendar(region, loaded.map((l) => l.year), { version: versionOf(region, loaded) });
  return {
    dir,
    calendar(region) {
      let found = calendars.get(region);
      if (!found) calendars.set(region, (found = build(region)));
      return found;
    },
    rescan() {
      const next = load();
      const changes: CalendarChange[] = [];
      const regions = new Set([...calendars.keys(), ...next.map((l) => l.year.region)]);
      const before = loaded;
      loaded = next;
      for (const region of regions) {
        if (versionOf(region, before) === versionOf(region, next)) continue;
        const previous = calendars.get(region) ?? createCalendar(region, before.map((l) => l.year), { version: versionOf(region, before) });
        const current = build(region);
        calendars.set(region, current);
        changes.push({ region, previous, current });
      }
      return changes;
    },
    versions() {
      return [...new Set(loaded.map((l) => l.year.region))].sort().map((region) => versionOf(region, loaded)).join(' ');
    },
  };
}
