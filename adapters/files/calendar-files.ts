/** Loads every region-year arrangement in domain/calendar/data/ (files named REGION-YEAR.json). */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogueError } from '../../domain/catalogue/index.ts';
import { createCalendar, validateCalendarYear, type Calendar, type CalendarYear } from '../../domain/calendar/index.ts';
import { jsonFilesIn, readJsonFile } from './read-json.ts';

export const CALENDAR_DATA_DIR = fileURLToPath(new URL('../../domain/calendar/data/', import.meta.url));

/** Every valid file of the directory; throws naming the file when one is invalid or misnamed. */
export function loadCalendarYears(dir: string = CALENDAR_DATA_DIR): CalendarYear[] {
  return jsonFilesIn(dir).map((file) => {
    const checked = validateCalendarYear(readJsonFile(file));
    if (!checked.ok) throw new CatalogueError(file, checked.errors);
    const expected = `${checked.value.region}-${checked.value.year}.json`;
    // The name is how people find a year's file; a mismatch means someone copied a file and forgot to edit it.
    if (basename(file) !== expected) throw new CatalogueError(file, [`file holds ${expected.slice(0, -5)} and must be named ${expected}`]);
    return checked.value;
  });
}

/** The calendar of one region ("CN") from the files of `dir`. */
export function loadCalendar(region = 'CN', dir: string = CALENDAR_DATA_DIR): Calendar {
  return createCalendar(region, loadCalendarYears(dir));
}
