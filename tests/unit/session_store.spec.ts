import { test } from '@japa/runner'
import type { SessionStoreWithTaggingContract } from '@adonisjs/session/types'
import { RecentlyTouchedStore } from '#services/sessions/session_store'
import { CacheStores } from '#cache/stores'

/** The calls a store received, in order. */
function recordingStore(calls: string[]): SessionStoreWithTaggingContract {
  return {
    read: async (id) => (calls.push(`read ${id}`), null),
    write: async (id) => void calls.push(`write ${id}`),
    destroy: async (id) => void calls.push(`destroy ${id}`),
    touch: async (id) => void calls.push(`touch ${id}`),
    tag: async (id, userId) => void calls.push(`tag ${id} ${userId}`),
    tagged: async () => [],
  }
}

test.group('Session store', () => {
  test('an unchanged session is renewed once a minute, not on every page', async ({ assert }) => {
    const calls: string[] = []
    const store = new RecentlyTouchedStore(recordingStore(calls), new CacheStores().renewedSessions)
    await store.touch('s1')
    await store.touch('s1')
    await store.touch('s2')
    assert.deepEqual(calls, ['touch s1', 'touch s2'])
  })

  test('a write renews the session; after a sign-out the next touch goes through', async ({
    assert,
  }) => {
    const calls: string[] = []
    const store = new RecentlyTouchedStore(recordingStore(calls), new CacheStores().renewedSessions)
    await store.write('s3', { auth_web: 1 })
    await store.touch('s3')
    await store.destroy('s3')
    await store.touch('s3')
    await store.tag('s3', '1')
    assert.deepEqual(calls, ['write s3', 'destroy s3', 'touch s3', 'tag s3 1'])
  })
})
