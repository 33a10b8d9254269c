import sharp from 'sharp'
import testUtils from '@adonisjs/core/services/test_utils'
import type { Group } from '@japa/runner/core'

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

export const validRegistration = {
  username: 'ada',
  email: 'ada@example.com',
  first_name: 'Ada',
  last_name: 'Lovelace',
  password: 'analytical-engine',
}

/**
 * Sends a body byte for byte (the api client re-serializes JSON bodies,
 * which would repair the malformed ones we want to send).
 */
export function rawRequest(path: string, init: RequestInit) {
  return fetch(new URL(path, `http://${process.env.HOST}:${process.env.PORT}`), init)
}
