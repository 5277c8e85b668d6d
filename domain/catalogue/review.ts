/**
 * The review step every catalogue change goes through: draft -> approved -> published. A draft may be edited (an
 * approved one goes back to draft when edited) or discarded; it is approved by an administrator other than the one
 * who last edited it (four eyes); an approved version is published. Published versions never change.
 */
import { DomainError } from '../case/errors.ts';
import type { FileProblem } from './catalogue-files.ts';

export const REVIEW_KINDS = ['service', 'bundle', 'data-catalogue', 'calendar'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/** A definition, a publication or an import that does not validate: every problem, by file and field. */
export class CatalogueChangeError extends DomainError {
  readonly code = 'CATALOGUE_CHANGE_INVALID';
  constructor(
    readonly detail: string,
    readonly errors: FileProblem[],
  ) {
    super(`${detail}: ${errors.length} problem${errors.length === 1 ? '' : 's'}`);
    this.name = 'CatalogueChangeError';
  }
}

/** The step is not allowed in the version's status (or someone changed it meanwhile). */
export class CatalogueStateError extends DomainError {
  readonly code = 'CATALOGUE_STATE';
  constructor(message: string, readonly reason: string) {
    super(message);
    this.name = 'CatalogueStateError';
  }
}

export class CatalogueEntryNotFoundError extends DomainError {
  readonly code = 'CATALOGUE_NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'CatalogueEntryNotFoundError';
  }
}
