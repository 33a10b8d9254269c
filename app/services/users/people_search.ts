import db from '@adonisjs/lucid/services/db'
import { DEFAULT_PAGE_LIMIT, type PageRequest } from '#helpers/page'

/** The name columns a prefix may match, each with its own index. */
const COLUMNS = ['username', 'first_name', 'last_name'] as const

/** `q` as a LIKE prefix: its own %, _ and \ match literally. */
function prefixPattern(q: string) {
  return `${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
}

/**
 * What a search looks for: `q` without a leading @ and with single spaces;
 * empty (the newest members) when nothing but punctuation is left ("@", "...").
 */
export function searchTerm(q: string | undefined) {
  const term = q?.trim().replace(/^@/, '').replace(/\s+/g, ' ') ?? ''
  return /^[\p{P}\p{S}\s]*$/u.test(term) ? '' : term
}

/**
 * Finding people by a prefix of their username, first or last name ("ada",
 * "love"; "ada lov" matches first and last name together). The columns'
 * utf8mb4_unicode_ci collation makes the match case- and accent-insensitive
 * ("zoe" finds "Zoë"), and each branch of the UNION is a range scan of its
 * column's index, so no query reads the whole table (README: EXPLAIN).
 * Without `q`: the newest members. Rows are `{id}`, newest first, paged by id.
 */
export class PeopleSearch {
  async search(q: string | undefined, page: PageRequest): Promise<{ id: number }[]> {
    const { sql, bindings } = this.query(q, page)
    const [rows] = await db.rawQuery(sql, bindings)
    return rows
  }

  /** The SQL of a search, for `search` and for EXPLAIN. */
  query(q: string | undefined, page: PageRequest) {
    const limit = (page.limit ?? DEFAULT_PAGE_LIMIT) + 1
    const term = searchTerm(q)
    const before = page.before ? ' AND id < ?' : ''
    const beforeBindings = page.before ? [page.before] : []

    if (!term) {
      return {
        sql: `SELECT id FROM users WHERE 1 = 1${before} ORDER BY id DESC LIMIT ?`,
        bindings: [...beforeBindings, limit],
      }
    }

    const branches: string[] = []
    const bindings: unknown[] = []
    for (const column of COLUMNS) {
      branches.push(
        `(SELECT id FROM users WHERE ${column} LIKE ?${before} ORDER BY id DESC LIMIT ?)`
      )
      bindings.push(prefixPattern(term), ...beforeBindings, limit)
    }
    const [first, ...rest] = term.split(' ')
    if (rest.length > 0) {
      branches.push(
        `(SELECT id FROM users WHERE first_name LIKE ? AND last_name LIKE ?${before} ORDER BY id DESC LIMIT ?)`
      )
      bindings.push(prefixPattern(first), prefixPattern(rest.join(' ')), ...beforeBindings, limit)
    }
    return {
      sql: `SELECT id FROM (${branches.join(' UNION ')}) AS matches ORDER BY id DESC LIMIT ?`,
      bindings: [...bindings, limit],
    }
  }
}
