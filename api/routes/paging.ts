/**
 * Query parameters of every paged list. `page` is bounded: offset paging past 100,000 pages is never a real
 * request, and an unbounded page times pageSize overflowed into a database error (found by fuzzing).
 */
export const MAX_PAGE = 100_000;

export function pagingQuery(defaultPageSize: number, maxPageSize: number) {
  return {
    page: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: maxPageSize, default: defaultPageSize },
  };
}
