export { CITIZEN_CASES } from './document.ts';
export type { CitizenAction, CitizenCase } from './document.ts';
export { CITIZEN_CASES_PROJECTION, CITIZEN_CASES_VERSION, createCitizenCasesProjector } from './projector.ts';
