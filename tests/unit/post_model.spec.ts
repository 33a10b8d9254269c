import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Post from '#models/post'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase } from '#tests/helpers'

test.group('Post model', (group) => {
  isolateDatabase(group)

  test('times keep their milliseconds in MySQL, as the API shows them', async ({ assert }) => {
    const author = await UserFactory.create()
    const at = DateTime.fromISO('2026-05-04T03:02:01.789Z')
    const post = await Post.create({ userId: author.id, text: 'hi', createdAt: at, updatedAt: at })
    const read = await Post.findOrFail(post.id)
    assert.deepEqual(read.toData(), post.toData())
    assert.equal(read.toData().created_at, '2026-05-04T03:02:01.789Z')
    assert.equal(read.createdAt.toMillis(), at.toMillis())
  })

  test('a new post was created and updated at the same instant', async ({ assert }) => {
    const author = await UserFactory.create()
    const post = await Post.create({ userId: author.id, text: 'hi' })
    const { created_at: createdAt, updated_at: updatedAt } = (
      await Post.findOrFail(post.id)
    ).toData()
    assert.equal(updatedAt, createdAt)
  })
})
