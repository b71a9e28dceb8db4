// Cursor pagination by id, the same in every service: ids are UUIDv7 (creation order, never reused), a list
// asks for one row more than it shows so it knows whether another page follows without counting, and the
// caller passes the previous page's `nextCursor` as `cursor`.
export const MAX_PAGE_SIZE = 100
export const DEFAULT_PAGE_SIZE = 50

export interface PageRequest {
  limit?: number
  /** The previous page's nextCursor: the last id it showed. */
  cursor?: string
}

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

export const pageSize = (request: PageRequest): number => Math.min(request.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)

/** Cuts the extra row off a result fetched with `limit + 1`. */
export function toPage<T extends { id: string }> (rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit)
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
}
