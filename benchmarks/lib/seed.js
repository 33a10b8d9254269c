import mysql from 'mysql2/promise'

export const SEED_PASSWORD = 'bench-password-1'

/**
 * Empties the bench database and inserts `count` users (user<N>), each with
 * a profile (same id) and a welcome intent already sent, so the worker's
 * sweep leaves them alone. One argon2id hash of SEED_PASSWORD, made by the
 * app's own hasher, is reused for every row: seeding 10,000 users then
 * takes a second instead of minutes of hashing.
 */
export async function seed(connection, count, passwordHash) {
  const db = await mysql.createConnection({ ...connection, timezone: 'Z' })
  try {
    await db.query('SET FOREIGN_KEY_CHECKS = 0')
    for (const table of ['auth_access_tokens', 'outbox_emails', 'profiles', 'users']) {
      await db.query('TRUNCATE TABLE ??', [table])
    }
    await db.query('SET FOREIGN_KEY_CHECKS = 1')

    const now = new Date()
    for (let start = 1; start <= count; start += 2000) {
      const ids = Array.from({ length: Math.min(2000, count - start + 1) }, (_, i) => start + i)
      await db.query(
        'INSERT INTO users (id, username, email, first_name, last_name, password, created_at, updated_at) VALUES ?',
        [ids.map((id) => [id, `user${id}`, `user${id}@bench.test`, 'First', `Last${id}`, passwordHash, now, now])]
      )
      await db.query(
        'INSERT INTO profiles (id, user_id, profile_picture, bio, created_at, updated_at) VALUES ?',
        [ids.map((id) => [id, id, null, `Bio of user ${id}`, now, now])]
      )
      await db.query(
        'INSERT INTO outbox_emails (kind, user_id, state, attempts, job_key, message_id, sent_at, created_at, updated_at) VALUES ?',
        [ids.map((id) => ['welcome', id, 'sent', 1, `seed-${id}`, `<seed-${id}@bench.test>`, now, now, now])]
      )
    }
  } finally {
    await db.end()
  }
}
