import db from '@adonisjs/lucid/services/db'

/**
 * The primary, in write mode: the one way to run raw SQL that writes (Lucid
 * sends a `db.rawQuery` outside a transaction to a read replica), and to
 * read what decides a write. Model queries take it as `{ client: primary() }`.
 */
export function primary() {
  return db.connection(undefined, { mode: 'write' })
}
