import sharp from 'sharp'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import redis from '@adonisjs/redis/services/main'
import { CacheStores } from '#cache/stores'
import { CacheInvalidation } from '#cache/invalidation'
import { PostCache } from '#cache/post_cache'
import type { Group } from '@japa/runner/core'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { checkResponse } from '#tests/openapi_responses'

/**
 * Wraps each test of the group in a transaction that is rolled back, so
 * tests start from an empty database without paying for TRUNCATE.
 */
export function isolateDatabase(group: Group) {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
}

/** A small real JPEG carrying EXIF, for upload tests. */
export function jpegWithExif(width = 64, height = 48) {
  return sharp({ create: { width, height, channels: 3, background: '#3353d1' } })
    .jpeg()
    .withExif({ IFD0: { Copyright: 'secret location', Artist: 'someone' } })
    .toBuffer()
}

/** The path of a named route: tests refer to routes by name, as the app does. */
export function route(name: string, params?: Record<string, unknown>) {
  return router.makeUrl(name, params)
}

export const validRegistration = {
  username: 'ada',
  email: 'ada@example.com',
  first_name: 'Ada',
  last_name: 'Lovelace',
  password: 'analytical-engine',
}

/**
 * A plain HTTP request: the body byte for byte (the api client re-serializes
 * JSON bodies, which would repair the malformed ones we want to send), and no
 * cookies (the api client always sends a session cookie).
 */
export async function rawRequest(path: string, init: RequestInit) {
  const response = await fetch(
    new URL(path, `http://${process.env.HOST}:${process.env.PORT}`),
    init
  )
  // Checked against the OpenAPI document like the api client's responses.
  checkResponse({
    method: init.method ?? 'GET',
    url: path,
    status: response.status,
    contentType: response.headers.get('content-type') ?? undefined,
    text: await response.clone().text(),
  })
  return response
}

/**
 * Empties the application tables on one connection, one after the other
 * (Lucid's db:truncate runs them in parallel, which deadlocks on the
 * foreign keys). For suites where other connections must see the rows.
 */
export async function truncateTables() {
  await db.transaction(async (trx) => {
    await trx.rawQuery('SET FOREIGN_KEY_CHECKS = 0')
    // Every application table, so a feature's new table needs no entry here.
    const [rows] = await trx.rawQuery('SHOW TABLES')
    const tables = rows
      .map((row: Record<string, string>) => Object.values(row)[0])
      .filter((table: string) => !table.startsWith('adonis_schema'))
    for (const table of tables) {
      await trx.rawQuery('TRUNCATE TABLE ??', [table])
    }
    await trx.rawQuery('SET FOREIGN_KEY_CHECKS = 1')
  })
  // Ids start over: no cached user, token or page may outlive the rows.
  await (await app.container.make(CacheInvalidation)).all()
}

/**
 * Runs `work` while another transaction holds row `id` of `table` (FOR
 * UPDATE), so that what `work` starts queues on it: after `waitMs`,
 * `meanwhile` runs (in the holder's transaction, whose writes commit
 * first), then the holder commits and `work`'s result is returned.
 */
export async function whileRowIsHeld<T>(
  table: string,
  id: number,
  work: () => Promise<T>,
  {
    waitMs = 200,
    meanwhile,
  }: { waitMs?: number; meanwhile?: (holder: TransactionClientContract) => Promise<void> } = {}
): Promise<T> {
  const holder = await db.transaction()
  await holder.rawQuery('SELECT id FROM ?? WHERE id = ? FOR UPDATE', [table, id])
  try {
    const working = work()
    await new Promise((resolve) => setTimeout(resolve, waitMs))
    await meanwhile?.(holder)
    await holder.commit()
    return await working
  } finally {
    if (!holder.isCompleted) await holder.rollback()
  }
}

/** Polls until `check` returns true, or fails after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`Condition not met within ${timeoutMs} ms`)
}

/**
 * The caches of another app process: its own stores and invalidation API on
 * the app's Redis bus, subscribed when this resolves, so a message the app
 * publishes crosses Redis to reach it. Call `close()` when done.
 */
export async function replicaCache() {
  const stores = new CacheStores()
  const invalidate = new CacheInvalidation(stores, redis.connection('bus'), new PostCache())
  await invalidate.join()
  return { stores, invalidate, close: async () => void (await invalidate.leave()) }
}
