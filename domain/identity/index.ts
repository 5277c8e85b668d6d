export {
  DEMO_REGIONS,
  birthDateOfCitizenId,
  citizenIdCheckChar,
  isValidCitizenId,
  makeCitizenId,
  randomCitizenId,
  sexOfCitizenId,
  validateCitizenId,
} from './citizen-id.ts';
export type { CitizenIdParts, RandomCitizenOptions } from './citizen-id.ts';
export {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckChar,
  isValidCreditCode,
  makeCreditCode,
  organisationCodeCheckChar,
  randomCreditCode,
  validateCreditCode,
} from './credit-code.ts';
export type { CreditCodeParts, RandomCreditCodeOptions } from './credit-code.ts';
export { createRandom } from './random.ts';
export type { Random } from './random.ts';
export { subjectTypeOfId } from './subject-type.ts';
