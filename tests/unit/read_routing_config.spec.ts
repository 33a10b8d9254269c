import { test } from '@japa/runner'
import env from '#start/env'
import { readRouting } from '#config/database'

test.group('Read routing settings (config/database.ts)', () => {
  test('a person who wrote reads the primary at least as long as a replica may lag behind', ({
    assert,
  }) => {
    // The defaults: DB_STICKY_MS 2000 is shorter than DB_MAX_LAG_S 5.
    assert.isUndefined(env.get('DB_STICKY_MS'))
    assert.isUndefined(env.get('DB_MAX_LAG_S'))
    assert.equal(readRouting.maxLagSeconds, 5)
    assert.equal(readRouting.stickyMs, 5000)
  })
})
