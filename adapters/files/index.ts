export { CALENDAR_DATA_DIR, loadCalendar, loadCalendarYears, loadYears, openCalendarDirectory, openCalendarSource } from './calendar-files.ts';
export type { CalendarChange, CalendarDirectory, LoadedYear } from './calendar-files.ts';
export { CATALOGUE_DATA_DIR, DATA_CATALOGUE_FILE, loadDataCatalogue, loadServiceCatalogue, readCatalogueDirectory } from './catalogue-files.ts';
export { jsonFilesIn, readJsonFile } from './read-json.ts';
