import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { CacheStores } from '#cache/stores'
import { UserDirectory } from '#services/users/user_directory'
import { apiPost, presentPosts } from '#presenters/post_presenter'
import type { PublicUserData } from '#presenters/user_presenter'

const author = {
  id: 1,
  username: 'ada',
  first_name: 'Ada',
  last_name: 'Lovelace',
  profile_data: { profile_picture: '/media/ada.webp' },
} as unknown as PublicUserData
const posts = [1, 2].map((id) => ({
  id,
  user_id: 1,
  text: `post ${id}`,
  image: null,
  audience: 'public' as const,
  created_at: '2026-01-01T00:00:00.000+00:00',
  likes_count: 0,
  comments_count: 0,
  updated_at: '2026-01-01T00:00:00.000+00:00',
  edited_at: null,
}))

test.group('presentPosts: the per-viewer step', (group) => {
  group.each.teardown(() => app.container.restore(UserDirectory))

  test('each viewer gets their own parts; the shared cached data keeps none', async ({
    assert,
  }) => {
    const stores = new CacheStores()
    app.container.swap(UserDirectory, () => new UserDirectory(stores))
    stores.publicUsers.set(author.id, author)
    stores.latestPosts.set(author.id, structuredClone(posts))
    const shared = () => [stores.latestPosts.get(author.id)!, stores.publicUsers.get(author.id)!]
    const before = structuredClone(shared())

    const forAuthor = await presentPosts(stores.latestPosts.get(author.id)!, { id: author.id })
    const forOther = await presentPosts(stores.latestPosts.get(author.id)!, { id: 2 })
    const forVisitor = await presentPosts(stores.latestPosts.get(author.id)!, null)

    assert.deepEqual(
      [forAuthor, forOther, forVisitor].map((shown) => shown.map((post) => post.viewer.mine)),
      [
        [true, true],
        [false, false],
        [false, false],
      ]
    )
    assert.deepEqual(shared(), before)
    assert.notProperty(stores.latestPosts.get(author.id)![0], 'viewer')
    // The API's Post is the contract's: no page-only part.
    assert.deepEqual(Object.keys(apiPost(forAuthor[0])), [
      'id',
      'author',
      'text',
      'image',
      'likes_count',
      'comments_count',
      'audience',
      'created_at',
      'updated_at',
      'edited_at',
      'liked',
    ])
  })
})
