import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'

export const DEFAULT_PAGE_LIMIT = 20

export interface PageRequest {
  limit?: number
  before?: number
}

export interface Page<T> {
  data: T[]
  next: string | null
}

type Query = DatabaseQueryBuilderContract<any> | ModelQueryBuilderContract<any, any>

/**
 * Narrows a query to one page: ids below `before`, newest first, one row
 * more than the limit so that `toPage` knows whether another page follows.
 */
export function pageQuery<Q extends Query>(query: Q, page: PageRequest, column = 'id'): Q {
  if (page.before) query.where(column, '<', page.before)
  return query.orderBy(column, 'desc').limit((page.limit ?? DEFAULT_PAGE_LIMIT) + 1) as Q
}

/**
 * The page shape of every list: `{data, next}`, where `next` is the path of
 * the following page (with the list's other query fields kept) or null.
 * `rows` come from `pageQuery`; `present` turns each into what is shown.
 */
export async function toPage<Row extends { id: number }, T>(
  rows: Row[],
  page: PageRequest,
  path: string,
  present: (rows: Row[]) => T[] | Promise<T[]>,
  query: Record<string, string | number | undefined> = {}
): Promise<Page<T>> {
  const limit = page.limit ?? DEFAULT_PAGE_LIMIT
  const shown = rows.slice(0, limit)
  let next: string | null = null
  if (rows.length > limit) {
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(name, String(value))
    }
    params.set('before', String(shown[shown.length - 1].id))
    params.set('limit', String(limit))
    next = `${path}?${params}`
  }
  return { data: await present(shown), next }
}
