import { isValidCitizenId } from './citizen-id.ts';
import { isValidCreditCode } from './credit-code.ts';

/**
 * Whose id this is when nothing else says: a person's when it passes as a citizen ID number and not as a unified
 * social credit code, an enterprise's when it passes as a credit code. A credit code can be 17 digits and an X, the
 * shape of a citizen ID number, so the shape alone misnames some enterprises. An id that passes as both (rare) or
 * neither falls back to the shape.
 */
export function subjectTypeOfId(id: string): 'person' | 'enterprise' {
  const person = isValidCitizenId(id);
  const enterprise = isValidCreditCode(id);
  if (person !== enterprise) return person ? 'person' : 'enterprise';
  return /^\d{17}[\dX]$/.test(id) ? 'person' : 'enterprise';
}
