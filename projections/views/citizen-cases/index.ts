export { CITIZEN_CASES } from './document.ts';
export type { CitizenAction, CitizenCase } from './document.ts';
export { CITIZEN_CASES_PROJECTION, createCitizenCasesProjector } from './projector.ts';
